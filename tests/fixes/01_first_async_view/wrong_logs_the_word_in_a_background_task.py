"""Wrong: answers with JSON, but logs each word in a task it starts and never waits for."""

import asyncio
import logging

from django.http import JsonResponse

log = logging.getLogger(__name__)


async def log_word(word):
    await asyncio.sleep(0.05)
    log.info("word typed: %s", word)


async def word_facts(request, word):
    asyncio.create_task(log_word(word))
    facts = {"word": word, "letters": len(word), "palindrome": word == word[::-1]}
    return JsonResponse(facts)
