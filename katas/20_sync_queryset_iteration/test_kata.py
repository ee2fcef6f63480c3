"""GET /shelves/<genre>/ lists the shelf's books, newest first and then by title, from an
async view, without blocking the event loop on the database."""

from .models import Book

# Each shelf, and its neighbours: genres whose names begin or end with the shelf's. A shelf
# holds its own genre only.
SHELVES = {
    "crime": ["true-crime", "crime-fiction"],
    "science": ["popular-science", "science-fiction"],
    "history": ["art-history", "history-of-science"],
    "travel": ["time-travel", "travel-writing"],
    "poetry": ["prose-poetry", "poetry-in-translation"],
}
# Real titles hold quotes, ampersands, angle brackets and accents.
FLOURISHES = ["", " & Sons", ' "Redux"', " <Vol. 2>", " — Ærø", "'s Tale", " (Édition)"]


async def stock_the_shop(fake, rng, genre):
    """Books on the ``genre`` shelf (more than twenty) and on its neighbours; returns the
    shelf's books.

    The shelf's books come three to a year, so the order within a year (by title) is
    always put to the test, and one title comes in two editions of different years. Every
    flourish of a title is on the shelf. The books arrive in a random order, so neither
    the database's own order nor the order of arrival (or its reverse) is the right one."""
    years = rng.sample(range(1950, 2026), rng.randint(7, 8))
    arrivals = [Book(genre=genre, year=year) for year in years for _ in range(3)]
    arrivals += [Book(genre=other, year=fake.year()) for other in SHELVES[genre] * 2]
    flourishes = []
    for book in arrivals:
        flourishes = flourishes or rng.sample(FLOURISHES, len(FLOURISHES))
        book.title = fake.title() + flourishes.pop()
        book.author = fake.person()
    reprint = Book(genre=genre, year=rng.choice(years[1:]), author=arrivals[0].author)
    reprint.title = arrivals[0].title
    arrivals.append(reprint)
    for book in rng.sample(arrivals, len(arrivals)):
        await book.asave()
    return [book for book in arrivals if book.genre == genre]


def shelf_order(book):
    return (-book.year, book.title)


def on_the_shelf(books):
    ordered = sorted(books, key=shelf_order)
    return [{"title": book.title, "author": book.author, "year": book.year} for book in ordered]


async def test_lists_the_shelf_newest_first_then_by_title(app, database, fake, rng):
    genre = rng.choice(list(SHELVES))
    books = await stock_the_shop(fake, rng, genre)
    response = await app.get(f"/shelves/{genre}/")
    response.assert_json(
        {"genre": genre, "books": on_the_shelf(books)},
        f"the {len(books)} books on the {genre} shelf, newest first, and by title within a year",
    )


async def test_a_book_shelved_since_the_last_visit_is_listed(app, database, fake, rng):
    genre = rng.choice(list(SHELVES))
    books = await stock_the_shop(fake, rng, genre)
    await app.get(f"/shelves/{genre}/")
    # A new arrival is shelved after the page was first shown.
    arrival = await Book.objects.acreate(
        genre=genre, title=fake.title(), author=fake.person(), year=fake.year()
    )
    response = await app.get(f"/shelves/{genre}/")
    response.assert_json(
        {"genre": genre, "books": on_the_shelf([*books, arrival])},
        f"the {genre} shelf with {arrival.title!r}, shelved since the last visit",
    )


async def test_an_empty_shelf_lists_no_books(app, database, fake, rng):
    empty, stocked = rng.sample(list(SHELVES), 2)
    await stock_the_shop(fake, rng, stocked)
    response = await app.get(f"/shelves/{empty}/")
    response.assert_json({"genre": empty, "books": []}, f"an empty list: no {empty} in stock")


async def test_queries_do_not_block_the_event_loop(app, database, fake, rng):
    genre = rng.choice(list(SHELVES))
    await stock_the_shop(fake, rng, genre)
    await app.get(f"/shelves/{genre}/")
    database.assert_no_query_on_loop()


def test_the_view_is_async(assert_async_view):
    assert_async_view("/shelves/poetry/")
