"""Right: JsonResponse with ensure_ascii off, so accented letters travel as UTF-8 rather than
as \\u escapes; both are the same JSON to the app."""

from django.http import JsonResponse


async def word_facts(request, word):
    facts = {
        "word": word,
        "letters": len(word),
        "palindrome": word == word[::-1],
    }
    return JsonResponse(facts, json_dumps_params={"ensure_ascii": False})
