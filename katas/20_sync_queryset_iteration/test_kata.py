"""GET /shelves/<genre>/ lists the shelf's books, newest first, from an async view, without
blocking the event loop on the database."""

from .models import Book

GENRES = ["poetry", "crime", "travel", "cooking", "history", "science"]


async def stock_the_shop(fake, rng, genre):
    """A few books on the ``genre`` shelf, among others; returns the shelf's books.

    They arrive in the reverse of "newest first", so the database's own order never is."""
    others = [g for g in GENRES if g != genre]
    arrivals = [Book(genre=genre) for _ in range(rng.randint(3, 6))]
    arrivals += [Book(genre=rng.choice(others)) for _ in range(rng.randint(2, 4))]
    for book in arrivals:
        book.title, book.author, book.year = fake.title(), fake.person(), fake.year()
    for book in reversed(sorted(arrivals, key=newest_first_key)):
        await book.asave()
    return [book for book in arrivals if book.genre == genre]


def newest_first_key(book):
    return (-book.year, book.title)


def newest_first(books):
    ordered = sorted(books, key=newest_first_key)
    return [{"title": book.title, "author": book.author, "year": book.year} for book in ordered]


async def test_lists_the_shelf_newest_first(app, database, fake, rng):
    genre = rng.choice(GENRES)
    books = await stock_the_shop(fake, rng, genre)
    response = await app.get(f"/shelves/{genre}/")
    response.assert_json(
        {"genre": genre, "books": newest_first(books)},
        f"the {len(books)} books on the {genre} shelf, newest first",
    )


async def test_an_empty_shelf_lists_no_books(app, database, fake, rng):
    await stock_the_shop(fake, rng, "poetry")
    response = await app.get("/shelves/comics/")
    response.assert_json({"genre": "comics", "books": []}, "an empty list: no comics in stock")


async def test_queries_do_not_block_the_event_loop(app, database, fake, rng):
    genre = rng.choice(GENRES)
    await stock_the_shop(fake, rng, genre)
    await app.get(f"/shelves/{genre}/")
    database.assert_no_query_on_loop()


def test_the_view_is_async(assert_async_view):
    assert_async_view("/shelves/poetry/")
