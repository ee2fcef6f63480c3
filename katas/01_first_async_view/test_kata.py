"""The word-facts view: an async view that answers with the facts about a word, as JSON."""

import json

import pytest

PALINDROMES = ["level", "radar", "kayak", "racecar", "noon", "civic", "rotor", "stats"]
ORDINARY = ["garden", "rocket", "puzzle", "dragon", "pencil", "window", "banana", "tiger"]


def facts_about(word):
    return {"word": word, "letters": len(word), "palindrome": word == word[::-1]}


def json_or_none(content):
    try:
        return json.loads(content)
    except ValueError:
        return None


def test_the_view_is_async(assert_async_view):
    assert_async_view("/words/kayak/")


async def test_answers_200(app, rng):
    word = rng.choice(ORDINARY)
    response = await app.get(f"/words/{word}/")
    response.assert_status(200, "the facts about the word")


async def test_says_its_body_is_json(app, rng):
    word = rng.choice(ORDINARY)
    response = await app.get(f"/words/{word}/")
    content_type = response.headers.get("content-type", "(none)")
    if not content_type.startswith("application/json"):
        pytest.fail(
            f"{response.request_line} answered with Content-Type {content_type!r}.\n"
            "Expected 'application/json': that header tells the app how to read the body.",
            pytrace=False,
        )


@pytest.mark.parametrize("words", [PALINDROMES, ORDINARY], ids=["palindrome", "ordinary"])
async def test_body_is_the_facts_as_json(app, rng, words):
    word = rng.choice(words)
    expected = facts_about(word)
    response = await app.get(f"/words/{word}/")
    response.assert_status(200, "the facts about the word")
    body = json_or_none(response.content)
    if body is None:
        pytest.fail(
            f"{response.request_line} answered with a body that is not JSON:\n"
            f"    {response.text!r}\nExpected this JSON:\n    {json.dumps(expected)}",
            pytrace=False,
        )
    if body != expected:
        pytest.fail(
            f"{response.request_line} answered with this JSON:\n    {json.dumps(body)}\n"
            f"Expected:\n    {json.dumps(expected)}",
            pytrace=False,
        )
