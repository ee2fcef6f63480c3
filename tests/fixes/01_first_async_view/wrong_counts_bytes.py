"""Wrong: counts the letters of the word's UTF-8 bytes, so every accented letter counts twice."""

from django.http import JsonResponse


async def word_facts(request, word):
    encoded = word.encode("utf-8")
    return JsonResponse(
        {"word": word, "letters": len(encoded), "palindrome": encoded == encoded[::-1]}
    )
