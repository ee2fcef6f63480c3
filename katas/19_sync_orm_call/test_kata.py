"""GET /books/<id>/ answers from an async view with the book and a count of its author's
other books, or 404, without blocking the event loop on the database."""

from .models import Book

# Real titles and names hold quotes, ampersands, angle brackets and accents.
FLOURISHES = ["", " & Sons", ' "Redux"', " <Vol. 2>", " — Ærø", "'s Tale", " (Édition)"]


class Shop:
    """The shop's books, drawn anew each run: an author with one book, authors with a few
    and with many (more than a page shows), their namesakes (an author whose name holds
    theirs, another of the same surname), and a second edition of one title."""

    def __init__(self, fake, rng):
        self.fake = fake
        self.rng = rng
        self.books = []
        self._flourishes = []

    def flourish(self, text):
        # Every flourish comes up in every shop, in another order each run.
        if not self._flourishes:
            self._flourishes = self.rng.sample(FLOURISHES, len(FLOURISHES))
        return text + self._flourishes.pop()

    async def add(self, author, title=None):
        book = await Book.objects.acreate(
            title=title or self.flourish(self.fake.title()), author=author, year=self.fake.year()
        )
        self.books.append(book)
        return book

    async def stock(self):
        authors = [self.flourish(self.fake.person()) for _ in range(3)]
        for author, count in zip(authors, self.rng.sample([1, 3, 6], 3), strict=True):
            for _ in range(count):
                await self.add(author)
        prolific = max(authors, key=self.more_by)
        first, surname = prolific.split(" ", 1)
        namesake = first
        while namesake == first:
            namesake = self.fake.person().split()[0]
        await self.add(f"{prolific} Jr.")
        await self.add(f"{namesake} {surname}")
        reprinted = self.rng.choice([b for b in self.books if b.author == prolific])
        await self.add(prolific, title=reprinted.title)
        return self

    def more_by(self, author):
        """How many books the author has in the shop, less the one on the page."""
        return sum(book.author == author for book in self.books) - 1


def page_of(book, more):
    return {
        "id": book.pk,
        "title": book.title,
        "author": book.author,
        "year": book.year,
        "more_by_author": more,
    }


async def test_shows_the_book_and_how_many_more_by_its_author(app, database, fake, rng):
    shop = await Shop(fake, rng).stock()
    for book in rng.sample(shop.books, len(shop.books)):
        more = shop.more_by(book.author)
        response = await app.get(f"/books/{book.pk}/")
        response.assert_json(
            page_of(book, more),
            f"book {book.pk}, with {more} more by {book.author!r} (that author exactly)",
        )


async def test_a_book_that_arrives_later_is_counted(app, database, fake, rng):
    shop = await Shop(fake, rng).stock()
    book = rng.choice(shop.books)
    await app.get(f"/books/{book.pk}/")
    # The shop gets another book by the same author after the page was first shown.
    await shop.add(book.author)
    more = shop.more_by(book.author)
    response = await app.get(f"/books/{book.pk}/")
    response.assert_json(
        page_of(book, more),
        f"book {book.pk}, with {more} more by {book.author!r}, the one that just arrived too",
    )


async def test_unknown_book_is_404(app, database, fake, rng):
    await Shop(fake, rng).stock()
    # A book the shop sold out and removed: its id was real a moment ago.
    gone = await Book.objects.acreate(title=fake.title(), author=fake.person(), year=fake.year())
    missing = gone.pk
    await gone.adelete()
    response = await app.get(f"/books/{missing}/")
    response.assert_status(404, f"Not Found: there is no book {missing}")


async def test_a_book_removed_since_it_was_shown_is_404(app, database, fake, rng):
    shop = await Shop(fake, rng).stock()
    gone = rng.choice(shop.books)
    (await app.get(f"/books/{gone.pk}/")).assert_status(200, f"book {gone.pk}, still in stock")
    missing = gone.pk
    await gone.adelete()
    response = await app.get(f"/books/{missing}/")
    response.assert_status(404, f"Not Found: book {missing} was sold out and removed since")


async def test_queries_do_not_block_the_event_loop(app, database, fake, rng):
    book = rng.choice((await Shop(fake, rng).stock()).books)
    await app.get(f"/books/{book.pk}/")
    database.assert_no_query_on_loop()


def test_the_view_is_async(assert_async_view):
    assert_async_view("/books/1/")
