"""GET /picks/ renders the staff picks page from an async view: each pick with its author,
in title order, or a note when there are none, without blocking the event loop."""

import html
import re

from .models import Author, Book

PICK = re.compile(r'<li class="pick"><cite>(.*?)</cite> by <span class="author">(.*?)</span>')
NO_PICKS = "No staff picks this week"


async def stock_the_shop(fake, rng, picks):
    """A few authors, ``picks`` staff picks among their books; returns the picks."""
    authors = [await Author.objects.acreate(name=fake.person()) for _ in range(3)]
    books = [
        Book(title=fake.title(), author=rng.choice(authors), staff_pick=index < picks)
        for index in range(picks + rng.randint(2, 4))
    ]
    rng.shuffle(books)
    for book in books:
        await book.asave()
    return [book for book in books if book.staff_pick]


def shown_picks(response):
    """The (title, author) of each pick on the page, top to bottom."""
    return [(html.unescape(t), html.unescape(a)) for t, a in PICK.findall(response.text)]


async def test_lists_the_picks_with_their_authors(app, database, fake, rng):
    picks = await stock_the_shop(fake, rng, picks=rng.randint(3, 5))
    expected = sorted((book.title, book.author.name) for book in picks)
    response = await app.get("/picks/")
    response.assert_status(200, "the staff picks page")
    shown = shown_picks(response)
    assert shown == expected, (
        f"GET /picks/ showed these picks (title, author):\n    {shown}\n"
        f"Expected the {len(expected)} staff picks, by title:\n    {expected}"
    )


async def test_no_picks_shows_a_note(app, database, fake, rng):
    await stock_the_shop(fake, rng, picks=0)
    response = await app.get("/picks/")
    response.assert_status(200, "the staff picks page, with a note")
    assert NO_PICKS in response.text and not shown_picks(response), (
        f"GET /picks/ with no staff picks answered:\n{response.text[:400]}\n"
        f"Expected the note {NO_PICKS!r} and no list."
    )


async def test_queries_do_not_block_the_event_loop(app, database, fake, rng):
    await stock_the_shop(fake, rng, picks=3)
    await app.get("/picks/")
    database.assert_no_query_on_loop()


def test_the_view_is_async(assert_async_view):
    assert_async_view("/picks/")
