"""Wrong: keeps a plain `def` view and wraps it whole in sync_to_async so that Django sees a
coroutine function: the answer is right, but all of the view runs in a worker thread, as a
sync view would. The kata is about writing an async view."""

from asgiref.sync import sync_to_async
from django.http import JsonResponse


def _word_facts(request, word):
    facts = {
        "word": word,
        "letters": len(word),
        "palindrome": word == word[::-1],
    }
    return JsonResponse(facts)


word_facts = sync_to_async(_word_facts)
