from django.http import HttpResponse


async def word_facts(request, word):
    facts = {
        "word": word,
        "letters": len(word),
        "palindrome": word == word[::-1],
    }
    # TODO: the app expects JSON. Look at what this line really sends.
    return HttpResponse(facts)
