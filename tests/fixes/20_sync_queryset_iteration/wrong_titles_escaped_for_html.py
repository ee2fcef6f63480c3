"""Wrong: fetches the shelf with async for, but escapes each title and author for HTML "to be
safe": JSON is not HTML, and a title with an ampersand or a quote reaches the shop mangled."""

from html import escape

from django.http import JsonResponse

from .models import Book


async def shelf(request, genre):
    books = Book.objects.filter(genre=genre).order_by("-year", "title")
    shelf = [
        {"title": escape(book.title), "author": escape(book.author), "year": book.year}
        async for book in books
    ]

    return JsonResponse({"genre": genre, "books": shelf})
