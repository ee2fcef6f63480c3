"""Wrong: sends the JSON with accents as they are, but encoded as Latin-1 and labelled so.
JSON travels as UTF-8: the app cannot read `crème` back, and a letter Latin-1 lacks (`ł`,
`œ`) turns the answer into a 500."""

import json

from django.http import HttpResponse


async def word_facts(request, word):
    facts = {
        "word": word,
        "letters": len(word),
        "palindrome": word == word[::-1],
    }
    body = json.dumps(facts, ensure_ascii=False)
    return HttpResponse(body, content_type="application/json; charset=iso-8859-1")
