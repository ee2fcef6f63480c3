"""Wrong: lowercases the word first "so that Kayak counts as a palindrome", so a word typed
with a capital comes back changed."""

from django.http import JsonResponse


async def word_facts(request, word):
    word = word.lower()
    return JsonResponse({"word": word, "letters": len(word), "palindrome": word == word[::-1]})
