"""Wrong: "cleans" the word down to ASCII before answering, to keep the JSON simple. `crème`
comes back as `crme`, with the wrong number of letters: JSON carries any letter, and
JsonResponse already escapes what it must."""

from django.http import JsonResponse


async def word_facts(request, word):
    word = word.encode("ascii", "ignore").decode()
    facts = {
        "word": word,
        "letters": len(word),
        "palindrome": word == word[::-1],
    }
    return JsonResponse(facts)
