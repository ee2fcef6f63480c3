"""Wrong: iterates with async for, but keeps each shelf's list in a module-level dict for
ever: a book shelved since the first visit never shows."""

from django.http import JsonResponse

from .models import Book

_shelves = {}


async def shelf(request, genre):
    if genre not in _shelves:
        books = Book.objects.filter(genre=genre).order_by("-year", "title")
        _shelves[genre] = [
            {"title": b.title, "author": b.author, "year": b.year} async for b in books
        ]
    return JsonResponse({"genre": genre, "books": _shelves[genre]})
