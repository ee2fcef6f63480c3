"""Wrong: reads the word from a ?word= query parameter the app never sends, falling back to
the path's last piece cut at the first odd character."""

import re

from django.http import JsonResponse


async def word_facts(request, word):
    word = request.GET.get("word") or re.match(r"\w*", word).group()
    return JsonResponse({"word": word, "letters": len(word), "palindrome": word == word[::-1]})
