"""Right: serialises the dict with json.dumps and labels it application/json by hand, which
is what JsonResponse does for you."""

import json

from django.http import HttpResponse


async def word_facts(request, word):
    facts = {
        "word": word,
        "letters": len(word),
        "palindrome": word == word[::-1],
    }
    return HttpResponse(json.dumps(facts), content_type="application/json")
