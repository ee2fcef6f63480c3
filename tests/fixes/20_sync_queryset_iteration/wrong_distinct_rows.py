"""Wrong: asks for distinct (title, author) rows "so no book is listed twice": the second
edition of a title, by the same author, disappears from the shelf."""

from django.http import JsonResponse

from .models import Book


async def shelf(request, genre):
    rows = Book.objects.filter(genre=genre).values("title", "author").distinct().order_by("title")
    books = []
    async for row in rows:
        book = await Book.objects.filter(genre=genre, **row).order_by("-year").afirst()
        books.append({"title": book.title, "author": book.author, "year": book.year})
    books.sort(key=lambda book: (-book["year"], book["title"]))

    return JsonResponse({"genre": genre, "books": books})
