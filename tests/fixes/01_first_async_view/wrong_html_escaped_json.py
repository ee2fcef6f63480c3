"""Wrong: HTML-escapes the word "to be safe" before putting it in the JSON. JSON is not HTML:
JsonResponse already escapes what JSON needs, so a word with <, &, ' or " comes back changed
(`a&amp;b` for `a&b`), and the app shows the child a word they never typed."""

from django.http import JsonResponse
from django.utils.html import escape


async def word_facts(request, word):
    facts = {
        "word": escape(word),
        "letters": len(word),
        "palindrome": word == word[::-1],
    }
    return JsonResponse(facts)
