"""Wrong: sends str(facts), the dict as Python prints it, labelled application/json. It reads
like JSON to a person, but single quotes and True are Python, not JSON: the app can't parse it."""

from django.http import HttpResponse


async def word_facts(request, word):
    facts = {
        "word": word,
        "letters": len(word),
        "palindrome": word == word[::-1],
    }
    return HttpResponse(str(facts), content_type="application/json")
