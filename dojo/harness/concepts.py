"""The errors learners meet most, each with one line that names the concept behind it and
the kata whose README teaches it."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Concept:
    pattern: re.Pattern[str]
    lesson: str
    kata: str


CONCEPTS = (
    Concept(
        re.compile(r"unawaited coroutine|was never awaited|coroutine object|type coroutine"),
        "a coroutine does nothing until it is awaited: calling an async function only creates one.",
        "04_missing_await",
    ),
    Concept(
        re.compile(r"It returned None instead|a function of the learner's returned None"),
        "a view or a middleware returns its response: a function that ends without `return` "
        "gives None.",
        "01_first_async_view",
    ),
    Concept(
        re.compile(r"can't be used in 'await' expression"),
        "await only what is awaitable (a coroutine, a task, a future), never a plain result.",
        "03_await_httpresponse",
    ),
    Concept(
        re.compile(r"SynchronousOnlyOperation|You cannot call this from an async context"),
        "in an async view, use the ORM's async API (aget, acount, async for) or wrap sync "
        "code in sync_to_async.",
        "19_sync_orm_call",
    ),
    Concept(
        re.compile(r"You cannot use AsyncToSync in the same thread as an async event loop"),
        "inside async code, await the async function directly; async_to_sync is for sync code.",
        "07_async_to_sync_inside_async",
    ),
)


def concept_line(error_text: str) -> str | None:
    """One line naming the concept behind ``error_text``, or None for other errors."""
    for concept in CONCEPTS:
        if concept.pattern.search(error_text):
            return f"Concept: {concept.lesson} (see katas/{concept.kata}/README.md)"
    return None
