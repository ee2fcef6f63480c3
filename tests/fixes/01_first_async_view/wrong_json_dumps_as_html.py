"""Wrong: the body now looks like JSON, but HttpResponse still labels it text/html, so an
app that trusts the Content-Type won't parse it."""

import json

from django.http import HttpResponse


async def word_facts(request, word):
    facts = {
        "word": word,
        "letters": len(word),
        "palindrome": word == word[::-1],
    }
    return HttpResponse(json.dumps(facts))
