"""Wrong: encodes the JSON to UTF-8 bytes itself but labels them Latin-1 (a header copied
from an old example): an app that reads the body as the label says shows `crÃ¨me`."""

import json

from django.http import HttpResponse


async def word_facts(request, word):
    facts = {"word": word, "letters": len(word), "palindrome": word == word[::-1]}
    body = json.dumps(facts, ensure_ascii=False).encode("utf-8")
    return HttpResponse(body, content_type="application/json; charset=iso-8859-1")
