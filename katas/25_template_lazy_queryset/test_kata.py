"""GET /picks/ renders the staff picks page from an async view: each pick with its author,
in title order, names shown exactly as typed, or a note when there are none, without
blocking the event loop."""

from html.parser import HTMLParser

import pytest

from .models import Author, Book

NO_PICKS = "No staff picks this week"
# What staff really type into titles and names: characters that mean something in HTML,
# quotes, and letters beyond ASCII. The page must show them as text, exactly as typed.
TITLE_TWISTS = ("{} <Illustrated>", "{} & Other Stories", '"{}", Revisited', "{}: l'Été")
AUTHOR_TWISTS = ("{} & Sons", "{} <ed.>", "{} O'Brien-Núñez", 'Zoë "{}"')


class PicksPage(HTMLParser):
    """Reads the picks off the page as a browser would: the text of each pick's title and
    author, and any element that turned up inside them."""

    def __init__(self, page):
        super().__init__()
        self.picks = []
        self.elements_in_names = []
        self._field = None
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if self._field is not None:
            self.elements_in_names.append(f"<{tag}>")
        elif tag == "li" and "pick" in classes:
            self.picks.append({"title": "", "author": ""})
        elif tag == "cite" and self.picks:
            self._field = ("cite", "title")
        elif tag == "span" and "author" in classes and self.picks:
            self._field = ("span", "author")

    def handle_endtag(self, tag):
        if self._field is not None and tag == self._field[0]:
            self._field = None

    def handle_data(self, data):
        if self._field is not None:
            self.picks[-1][self._field[1]] += data


def shown_picks(response):
    """The (title, author) of each pick on the page, top to bottom, as a browser shows them."""
    return [(pick["title"], pick["author"]) for pick in PicksPage(response.text).picks]


async def stock_the_shop(fake, rng, picks, others, twisted=False):
    """Three authors and their books, ``picks`` of them staff picks; returns the picks.

    The picks are never stored in title order, so a page that is not sorted shows it.
    ``twisted`` gives every title and name characters such as ``<``, ``&``, quotes and
    accents (every title twist among the picks, so a page that is not escaped shows it)."""
    names = [fake.person() for _ in range(3)]
    titles = [fake.title() for _ in range(picks + others)]
    if twisted:
        twists = rng.sample(AUTHOR_TWISTS, len(names))
        names = [twist.format(name) for twist, name in zip(twists, names, strict=True)]
        twists = rng.sample(TITLE_TWISTS, len(TITLE_TWISTS))
        titles = [twists[index % len(twists)].format(title) for index, title in enumerate(titles)]
    authors = [await Author.objects.acreate(name=name) for name in names]
    books = [
        Book(title=title, author=rng.choice(authors), staff_pick=index < picks)
        for index, title in enumerate(titles)
    ]
    rng.shuffle(books)
    chosen = [book for book in books if book.staff_pick]
    if len(chosen) > 1 and chosen == sorted(chosen, key=lambda book: book.title):
        books.reverse()
    for book in books:
        await book.asave()
    return chosen


def expected_picks(picks):
    """(title, author) of each pick, exactly as typed, by title."""
    return sorted((book.title, book.author.name) for book in picks)


def assert_shows(shown, expected, note=""):
    __tracebackhide__ = True
    if shown == expected:
        return
    why = ""
    if sorted(shown) == expected:
        why = "\nThe right picks, but not in title order."
    elif any("&amp;" in text or "&lt;" in text for pick in shown for text in pick):
        why = "\nSome text was escaped twice: the page shows '&amp;' where '&' was typed."
    pytest.fail(
        f"GET /picks/ showed these picks (title, author), as a browser reads them:\n"
        f"    {shown}\nExpected the {len(expected)} staff picks (and no other book), by title, "
        f"exactly as typed:\n    {expected}{why}{note}",
        pytrace=False,
    )


async def test_lists_the_picks_with_their_authors(app, database, fake, rng):
    picks = await stock_the_shop(fake, rng, picks=rng.randint(3, 5), others=rng.randint(2, 4))
    expected = expected_picks(picks)
    response = await app.get("/picks/")
    response.assert_status(200, "the staff picks page")
    assert_shows(shown_picks(response), expected)


async def test_picks_changed_since_the_last_visit_show_as_they_are_now(app, database, fake, rng):
    picks = await stock_the_shop(fake, rng, picks=rng.randint(3, 5), others=rng.randint(2, 4))
    (await app.get("/picks/")).assert_status(200, "the staff picks page, before the change")
    # Since the page was first shown, the staff dropped one pick and chose a book as a new one.
    dropped = rng.choice(picks)
    await Book.objects.filter(pk=dropped.pk).aupdate(staff_pick=False)
    chosen = (
        await Book.objects.filter(staff_pick=False)
        .exclude(pk=dropped.pk)
        .select_related("author")
        .afirst()
    )
    await Book.objects.filter(pk=chosen.pk).aupdate(staff_pick=True)
    now = [book for book in picks if book.pk != dropped.pk] + [chosen]
    response = await app.get("/picks/")
    response.assert_status(200, "the staff picks page, after the change")
    assert_shows(
        shown_picks(response),
        expected_picks(now),
        f"\nSince the page was last shown, {dropped.title!r} was dropped from the picks and "
        f"{chosen.title!r} chosen: the page shows the picks as they are now, not as they were.",
    )


async def test_names_show_exactly_as_typed_never_as_html(app, database, fake, rng):
    picks = await stock_the_shop(
        fake, rng, picks=rng.randint(4, 6), others=rng.randint(1, 3), twisted=True
    )
    expected = expected_picks(picks)
    response = await app.get("/picks/")
    response.assert_status(200, "the staff picks page")
    page = PicksPage(response.text)
    if page.elements_in_names:
        markup = ", ".join(dict.fromkeys(page.elements_in_names))
        pytest.fail(
            f"GET /picks/ put titles and names into the page as HTML, not as text: a browser "
            f"finds {markup} inside them.\nThe picks were:\n"
            + "".join(f"    {title!r} by {author!r}\n" for title, author in expected)
            + "A title or a name is text: '<', '&' and quotes in it must be escaped (Django's "
            "templates do it for you), or a visitor's browser runs whatever a name holds.",
            pytrace=False,
        )
    assert_shows([(pick["title"], pick["author"]) for pick in page.picks], expected)


async def test_no_picks_shows_a_note(app, database, fake, rng):
    # Some weeks the shop has other books; some weeks, none at all.
    await stock_the_shop(fake, rng, picks=0, others=rng.randint(0, 3))
    response = await app.get("/picks/")
    response.assert_status(200, "the staff picks page, with a note")
    if NO_PICKS not in response.text or shown_picks(response):
        pytest.fail(
            f"GET /picks/ with no staff picks answered:\n{response.text[:400]}\n"
            f"Expected the note {NO_PICKS!r} and no list.",
            pytrace=False,
        )


async def test_queries_do_not_block_the_event_loop(app, database, fake, rng):
    await stock_the_shop(fake, rng, picks=3, others=2)
    await app.get("/picks/")
    database.assert_no_query_on_loop()


def test_the_view_is_async(assert_async_view):
    assert_async_view("/picks/")
