"""Right: JsonResponse, and the view also refuses anything but GET with Django's require_GET,
which keeps an async view async (Django's view decorators accept async views since 5.0)."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET


@require_GET
async def word_facts(request, word):
    facts = {"word": word, "letters": len(word), "palindrome": word == word[::-1]}
    return JsonResponse(facts)
