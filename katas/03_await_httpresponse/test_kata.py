"""The quote of the day: fetched from the quotes service, shown as plain text."""

import pytest

QUOTES = [
    ("Simple is better than complex.", "Tim Peters"),
    ("Premature optimization is the root of all evil.", "Donald Knuth"),
    ("Talk is cheap. Show me the code.", "Linus Torvalds"),
    ("The best way to predict the future is to invent it.", "Alan Kay"),
    (
        "It's hard enough to find an error in your code when you're looking for it.",
        "Steve McConnell",
    ),
    ("First, solve the problem. Then, write the code.", "John Johnson"),
    ("Make it work, make it right, make it fast.", "Kent Beck"),
]


@pytest.fixture
def todays_quote(upstream, rng):
    """The quote the fake quotes service serves today: a different one on every run."""
    text, author = rng.choice(QUOTES)
    upstream.get("http://quotes.example/today", json={"text": text, "author": author})
    return text, author


async def test_answers_200(app, todays_quote):
    response = await app.get("/quote/")
    response.assert_status(200, "today's quote")


async def test_shows_todays_quote_as_plain_text(app, todays_quote):
    text, author = todays_quote
    response = await app.get("/quote/")
    response.assert_status(200, "today's quote")
    expected = f"{text} ({author})"
    if response.text != expected:
        pytest.fail(
            f"{response.request_line} showed:\n    {response.text!r}\n"
            f"Expected today's quote, from the quotes service:\n    {expected!r}",
            pytrace=False,
        )
    content_type = response.headers.get("content-type", "(none)")
    if not content_type.startswith("text/plain"):
        pytest.fail(
            f"{response.request_line} answered with Content-Type {content_type!r}; "
            "expected 'text/plain', what the office screen can show.",
            pytrace=False,
        )


def test_the_view_is_async(assert_async_view):
    assert_async_view("/quote/")
