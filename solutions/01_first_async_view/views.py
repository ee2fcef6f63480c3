from django.http import JsonResponse


async def word_facts(request, word):
    facts = {
        "word": word,
        "letters": len(word),
        "palindrome": word == word[::-1],
    }
    # JsonResponse turns the dict into JSON and labels it application/json. HttpResponse
    # only sends bytes: given a dict, it iterates over it and sends the keys glued together.
    return JsonResponse(facts)
