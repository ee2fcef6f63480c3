"""Wrong: dumps the facts to a JSON string, then hands the string to JsonResponse, which
dumps it again: the app receives one JSON string, not an object."""

import json

from django.http import JsonResponse


async def word_facts(request, word):
    facts = {"word": word, "letters": len(word), "palindrome": word == word[::-1]}
    return JsonResponse(json.dumps(facts), safe=False)
