"""Right: a class-based view with an async get(), whose as_view() is an async view."""

from django.http import JsonResponse
from django.views import View


class WordFacts(View):
    async def get(self, request, word):
        return JsonResponse(
            {"word": word, "letters": len(word), "palindrome": word == word[::-1]},
            json_dumps_params={"separators": (",", ":")},
        )


word_facts = WordFacts.as_view()
