"""Right: JSON encoded by hand to UTF-8 bytes, labelled with a Content-Type header: what
JsonResponse does, written out."""

import json

from django.http import HttpResponse


async def word_facts(request, word):
    facts = {"word": word, "letters": len(word), "palindrome": word == word[::-1]}
    body = json.dumps(facts, ensure_ascii=False).encode("utf-8")
    return HttpResponse(body, headers={"Content-Type": "application/json; charset=utf-8"})
