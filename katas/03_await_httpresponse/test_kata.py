"""The quote of the day: fetched from the quotes service, shown as plain text, and a clear
"no quote today" when the service fails."""

import asyncio
import json

import pytest

QUOTES = [
    ("Simple is better than complex.", "Tim Peters"),
    ("Premature optimization is the root of all evil.", "Donald Knuth"),
    ("Talk is cheap. Show me the code.", "Linus Torvalds"),
    ("The best way to predict the future is to invent it.", "Alan Kay"),
    ("First, solve the problem. Then, write the code.", "John Johnson"),
    ("Make it work, make it right, make it fast.", "Kent Beck"),
    ("Simplicity is prerequisite for reliability.", "Edsger W. Dijkstra"),
]
# Plain text goes to the screen as it is: apostrophes, quotes, & and < stay what they are.
QUOTES_WITH_SYMBOLS = [
    (
        "It's hard enough to find an error in your code when you're looking for it.",
        "Steve McConnell",
    ),
    (
        "Programs must be written for people to read, and only incidentally for machines "
        "to execute.",
        "Abelson & Sussman",
    ),
    ("Ce qui se conçoit bien s'énonce clairement.", "Nicolas Boileau"),
    ("Don't repeat yourself.", "Andy Hunt & Dave Thomas"),
    ('Deadline < 1 day? Then "done" means tested.', "the kitchen whiteboard"),
    ('"It works on my machine" is not a release plan.', "Noor's team"),
]
GATEWAY_ERRORS = (502, 503, 504)
# What the service sends with an error status when it is down for maintenance.
NOTICES = [
    {"text": "The quotes service is down for maintenance.", "author": "the quotes team"},
    {"text": "Back at ten, with a fresh quote.", "author": "Quotes Inc."},
]
# The office has a screen on every floor, and they all ask at nine. The quotes service takes
# this long to answer them: long enough for every screen's call to have started before the
# first one ends.
SCREENS = 3
SLOW_LATENCY = 0.3
# Two in flight at once is proof enough that nothing lets one at a time through, and still
# holds on a loaded machine, where the last caller can start late.
OVERLAPPING = 2


def shown(quote):
    text, author = quote
    return f"{text} ({author})"


@pytest.fixture
def quotes_service(upstream, rng):
    """The fake quotes service; ``.returns({"text": ..., "author": ...})`` sets today's quote."""
    text, author = rng.choice(QUOTES)
    return upstream.get(
        "http://quotes.example/today", json={"text": text, "author": author}, latency=0.05
    )


def assert_shows(response, quote):
    __tracebackhide__ = True
    response.assert_status(200, "today's quote")
    if response.text != shown(quote):
        pytest.fail(
            f"{response.request_line} showed:\n    {response.text!r}\n"
            f"Expected today's quote, from the quotes service:\n    {shown(quote)!r}",
            pytrace=False,
        )
    content_type = response.headers.get("content-type", "(none)")
    if not content_type.startswith("text/plain"):
        pytest.fail(
            f"{response.request_line} answered with Content-Type {content_type!r}; "
            "expected 'text/plain', what the office screen can show.",
            pytrace=False,
        )


async def test_answers_200(app, quotes_service):
    response = await app.get("/quote/")
    response.assert_status(200, "today's quote")


async def test_shows_todays_quote_as_plain_text(app, quotes_service, rng):
    # Two days, two quotes: one plain, one with symbols, in a random order.
    days = [rng.choice(QUOTES), rng.choice(QUOTES_WITH_SYMBOLS)]
    rng.shuffle(days)
    for quote in days:
        text, author = quote
        quotes_service.returns({"text": text, "author": author})
        response = await app.get("/quote/")
        assert_shows(response, quote)


async def test_screens_asking_at_once_are_served_at_the_same_time(
    app, upstream, quotes_service, rng
):
    quote = rng.choice(QUOTES)
    quotes_service.returns({"text": quote[0], "author": quote[1]})
    quotes_service.latency = SLOW_LATENCY
    responses = await asyncio.gather(*(app.get("/quote/") for _ in range(SCREENS)))
    for response in responses:
        assert_shows(response, quote)
    # A view that waits for the service one screen at a time (a single worker thread, a
    # lock) keeps the top floor waiting for every floor below it.
    upstream.assert_calls_overlapped(OVERLAPPING, route=quotes_service)


async def test_a_broken_quotes_service_is_a_502_not_a_crash(app, quotes_service, upstream_failure):
    # Yesterday the service was fine; today it fails: yesterday's quote is not today's.
    await app.get("/quote/")
    before = "sent a quote yesterday; today it " if quotes_service.call_count else ""
    quotes_service.breaks(upstream_failure)
    response = await app.get("/quote/")
    assert_says_there_is_no_quote(response, f"The quotes service {before}{upstream_failure}")


async def test_an_error_status_is_no_quote_whatever_its_body_says(app, quotes_service, rng):
    # A maintenance notice shaped like a quote: only the status says it is not one.
    status = rng.choice([500, 503])
    quotes_service.returns(rng.choice(NOTICES), status=status)
    response = await app.get("/quote/")
    assert_says_there_is_no_quote(
        response, f"The quotes service answered {status} with a notice shaped like a quote"
    )


def assert_says_there_is_no_quote(response, what_happened):
    __tracebackhide__ = True
    if response.status not in GATEWAY_ERRORS:
        what = response.explain()
        if response.status == 200:
            what += f"\nThe screen showed: {response.text[:200]!r}"
        pytest.fail(
            f"{what_happened}.\n{what}\n"
            "Expected 502 Bad Gateway (503 or 504 would do): a line saying there is no quote "
            "today. Never a 500, and never a quote the service did not send today.",
            pytrace=False,
        )
    # The screen shows whatever text it gets: the answer must be a line it can show.
    content_type = response.headers.get("content-type", "(none)")
    text = response.text.strip()
    if (
        not content_type.startswith("text/plain")
        or not text
        or "<html" in text.lower()
        or is_json_data(text)
    ):
        pytest.fail(
            f"{what_happened}, and {response.request_line} "
            f"answered {response.status} with Content-Type {content_type!r} and this body:\n"
            f"    {response.text[:200]!r}\n"
            "The screen shows whatever text it gets. Expected a line of plain text "
            "(text/plain) saying there is no quote today: not a blank, not JSON, not the "
            "service's own error page or message.",
            pytrace=False,
        )


def is_json_data(text):
    try:
        return isinstance(json.loads(text), (dict, list))
    except ValueError:
        return False


def test_the_view_is_async(assert_async_view):
    assert_async_view("/quote/")
