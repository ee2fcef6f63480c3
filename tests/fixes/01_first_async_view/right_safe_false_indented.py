"""Right: JsonResponse with safe=False (harmless for a dict) and indented JSON: the spacing
differs, the JSON is the same."""

from django.http import JsonResponse


async def word_facts(request, word):
    facts = {"word": word, "letters": len(word), "palindrome": word == word[::-1]}
    return JsonResponse(facts, safe=False, json_dumps_params={"indent": 2})
