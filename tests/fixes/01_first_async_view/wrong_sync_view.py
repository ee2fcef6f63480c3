"""Wrong: answers the right JSON, but from a plain `def` view that Django runs in a worker
thread; the kata is about writing an async view."""

from django.http import JsonResponse


def word_facts(request, word):
    facts = {
        "word": word,
        "letters": len(word),
        "palindrome": word == word[::-1],
    }
    return JsonResponse(facts)
