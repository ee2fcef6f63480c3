"""GET /books/<id>/ answers from an async view with the book and its author, or 404,
without blocking the event loop on the database."""

from .models import Author, Book

COUNTRIES = ["Nigeria", "Chile", "Japan", "Poland", "Canada", "Egypt", "Norway", "Côte d'Ivoire"]
# Real names and titles hold quotes, ampersands, angle brackets and accents.
FLOURISHES = ["", "", " & Sons", ' "Redux"', " <Vol. 2>", " — Ærø", "'s Tale", " (Édition)"]


async def stock_the_shop(fake, rng):
    """A few authors (one without books yet) and their books, which arrive in no particular
    order of author, two of them (by different authors) with the same title; returns every
    book. Authors' and books' ids never meet, so an author looked up by a book's id is never
    found by chance."""
    authors = [
        await Author.objects.acreate(
            pk=pk, name=fake.person() + rng.choice(FLOURISHES), country=rng.choice(COUNTRIES)
        )
        for pk in rng.sample(range(100, 1000), 4)
    ]
    writers = authors[: rng.randint(2, 3)]
    more = rng.choices(writers, k=rng.randint(1, len(writers) * 2))
    shelved = rng.sample(writers + more, len(writers) + len(more))
    titles = [fake.title() + rng.choice(FLOURISHES) for _ in shelved]
    # A title that two authors each wrote a book of.
    one, other = rng.sample(writers, 2)
    titles[shelved.index(other)] = titles[shelved.index(one)]
    books = []
    ids = rng.sample(range(1000, 10_000), len(shelved))
    for pk, author, title in zip(ids, shelved, titles, strict=True):
        books.append(
            await Book.objects.acreate(pk=pk, title=title, year=fake.year(), author=author)
        )
    return books


def page_of(book, author):
    return {
        "id": book.pk,
        "title": book.title,
        "year": book.year,
        "author": {"name": author.name, "country": author.country},
    }


async def test_shows_each_book_with_its_own_author(app, database, fake, rng):
    books = await stock_the_shop(fake, rng)
    authors = {author.pk: author async for author in Author.objects.all()}
    for book in rng.sample(books, len(books)):
        author = authors[book.author_id]
        response = await app.get(f"/books/{book.pk}/")
        response.assert_json(
            page_of(book, author), f"book {book.pk} with its author, {author.name}"
        )


async def test_shows_the_author_as_the_shop_has_them_now(app, database, fake, rng):
    books = await stock_the_shop(fake, rng)
    book = rng.choice(books)
    (await app.get(f"/books/{book.pk}/")).assert_status(200, f"book {book.pk} with its author")
    # Since the page was first shown, the author changed their pen name and moved abroad,
    # and a new author's first book arrived.
    author = await Author.objects.aget(pk=book.author_id)
    author.name = fake.person() + rng.choice(FLOURISHES)
    author.country = rng.choice([c for c in COUNTRIES if c != author.country])
    await author.asave()
    taken = {pk async for pk in Author.objects.values_list("pk", flat=True)}
    newcomer = await Author.objects.acreate(
        pk=rng.choice(sorted(set(range(100, 1000)) - taken)),
        name=fake.person(),
        country=rng.choice(COUNTRIES),
    )
    debut = await Book.objects.acreate(
        pk=max(b.pk for b in books) + 1, title=fake.title(), year=fake.year(), author=newcomer
    )
    for book, author in ((book, author), (debut, newcomer)):
        response = await app.get(f"/books/{book.pk}/")
        response.assert_json(
            page_of(book, author), f"book {book.pk} with its author as of now, {author.name}"
        )


async def test_unknown_book_is_404(app, database, fake, rng):
    books = await stock_the_shop(fake, rng)
    # A book the shop sold out and removed: its id was real a moment ago.
    gone = rng.choice(books)
    missing = gone.pk
    await gone.adelete()
    response = await app.get(f"/books/{missing}/")
    response.assert_status(404, f"Not Found: book {missing} is no longer in the shop")


async def test_a_book_removed_since_it_was_shown_is_404(app, database, fake, rng):
    gone = rng.choice(await stock_the_shop(fake, rng))
    (await app.get(f"/books/{gone.pk}/")).assert_status(200, f"book {gone.pk}, still in stock")
    missing = gone.pk
    await gone.adelete()
    response = await app.get(f"/books/{missing}/")
    response.assert_status(404, f"Not Found: book {missing} was sold out and removed since")


async def test_queries_do_not_block_the_event_loop(app, database, fake, rng):
    book = rng.choice(await stock_the_shop(fake, rng))
    await app.get(f"/books/{book.pk}/")
    database.assert_no_query_on_loop()


def test_the_view_is_async(assert_async_view):
    assert_async_view("/books/1/")
