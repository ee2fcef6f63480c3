"""GET /books/<id>/ answers from an async view with the book and a count of its author's
other books, or 404, without blocking the event loop on the database."""

from .models import Book

# Real titles and names hold quotes, ampersands, angle brackets and accents.
FLOURISHES = ["", "", " & Sons", ' "Redux"', " <Vol. 2>", " — Ærø", "'s Tale", " (Édition)"]


def flourish(text, rng):
    return text + rng.choice(FLOURISHES)


async def add_books(fake, rng):
    """A book, none or a few more by the same author, and some by other authors; returns
    the book and how many more its author has."""
    author = flourish(fake.person(), rng)

    async def book_by(name):
        return await Book.objects.acreate(
            title=flourish(fake.title(), rng), author=name, year=fake.year()
        )

    book = await book_by(author)
    more = rng.randint(0, 4)
    for _ in range(more):
        await book_by(author)
    for _ in range(rng.randint(1, 3)):
        await book_by(fake.person())
    return book, more


async def test_shows_the_book_and_how_many_more_by_its_author(app, database, fake, rng):
    book, more = await add_books(fake, rng)
    response = await app.get(f"/books/{book.pk}/")
    response.assert_json(
        {
            "id": book.pk,
            "title": book.title,
            "author": book.author,
            "year": book.year,
            "more_by_author": more,
        },
        f"book {book.pk}, with {more} more by {book.author}",
    )


async def test_unknown_book_is_404(app, database, fake, rng):
    await add_books(fake, rng)
    # A book the shop sold out and removed: its id was real a moment ago.
    gone = await Book.objects.acreate(title=fake.title(), author=fake.person(), year=fake.year())
    missing = gone.pk
    await gone.adelete()
    response = await app.get(f"/books/{missing}/")
    response.assert_status(404, f"Not Found: there is no book {missing}")


async def test_queries_do_not_block_the_event_loop(app, database, fake, rng):
    book, _ = await add_books(fake, rng)
    await app.get(f"/books/{book.pk}/")
    database.assert_no_query_on_loop()


def test_the_view_is_async(assert_async_view):
    assert_async_view("/books/1/")
