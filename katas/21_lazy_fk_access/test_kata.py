"""GET /books/<id>/ answers from an async view with the book and its author, or 404,
without blocking the event loop on the database."""

from .models import Author, Book

COUNTRIES = ["Nigeria", "Chile", "Japan", "Poland", "Canada", "Egypt", "Norway", "India"]


async def stock_the_shop(fake, rng):
    """A few authors with a few books each; returns every book."""
    books = []
    for _ in range(3):
        author = await Author.objects.acreate(name=fake.person(), country=rng.choice(COUNTRIES))
        for _ in range(rng.randint(1, 3)):
            books.append(
                await Book.objects.acreate(title=fake.title(), year=fake.year(), author=author)
            )
    return books


async def test_shows_the_book_with_its_author(app, database, fake, rng):
    book = rng.choice(await stock_the_shop(fake, rng))
    author = await Author.objects.aget(pk=book.author_id)
    response = await app.get(f"/books/{book.pk}/")
    response.assert_json(
        {
            "id": book.pk,
            "title": book.title,
            "year": book.year,
            "author": {"name": author.name, "country": author.country},
        },
        f"book {book.pk} with its author, {author.name}",
    )


async def test_unknown_book_is_404(app, database, fake, rng):
    await stock_the_shop(fake, rng)
    missing = rng.randint(1000, 9999)
    response = await app.get(f"/books/{missing}/")
    response.assert_status(404, f"Not Found: there is no book {missing}")


async def test_queries_do_not_block_the_event_loop(app, database, fake, rng):
    book = rng.choice(await stock_the_shop(fake, rng))
    await app.get(f"/books/{book.pk}/")
    database.assert_no_query_on_loop()


def test_the_view_is_async(assert_async_view):
    assert_async_view("/books/1/")
