"""Wrong: builds the JSON by hand with an f-string and labels it application/json. It looks
right for a plain word, but a word with a quote or a backslash in it gives a body that is not
JSON at all: text that goes into JSON must be escaped, which json.dumps and JsonResponse do."""

from django.http import HttpResponse


async def word_facts(request, word):
    letters = len(word)
    palindrome = "true" if word == word[::-1] else "false"
    body = f'{{"word": "{word}", "letters": {letters}, "palindrome": {palindrome}}}'
    return HttpResponse(body, content_type="application/json")
