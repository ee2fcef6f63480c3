"""Right: serialises the facts with the letters as they are and sends them as UTF-8 bytes,
labelled application/json with that charset."""

import json

from django.http import HttpResponse


async def word_facts(request, word):
    facts = {"word": word, "letters": len(word), "palindrome": word == word[::-1]}
    body = json.dumps(facts, ensure_ascii=False).encode("utf-8")
    return HttpResponse(body, content_type="application/json; charset=utf-8")
