"""Wrong: counts only the letters, leaving symbols out of the count."""

from django.http import JsonResponse


async def word_facts(request, word):
    facts = {
        "word": word,
        "letters": sum(c.isalpha() for c in word),
        "palindrome": word == word[::-1],
    }
    return JsonResponse(facts)
