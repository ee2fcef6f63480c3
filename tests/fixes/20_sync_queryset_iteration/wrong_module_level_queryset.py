"""Wrong: iterates one module-level queryset of every book with async for and filters in
Python; the queryset caches its rows the first time, so the shelf never changes again."""

from django.http import JsonResponse

from .models import Book

ALL_BOOKS = Book.objects.order_by("-year", "title")


async def shelf(request, genre):
    books = [b async for b in ALL_BOOKS]
    shelf = [
        {"title": b.title, "author": b.author, "year": b.year} for b in books if b.genre == genre
    ]
    return JsonResponse({"genre": genre, "books": shelf})
