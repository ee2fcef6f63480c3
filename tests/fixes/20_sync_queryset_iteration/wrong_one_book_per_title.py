"""Wrong: iterates with async for, but collects the books in a dict keyed by title: two
editions of one title become one book."""

from django.http import JsonResponse

from .models import Book


async def shelf(request, genre):
    books = Book.objects.filter(genre=genre).order_by("-year", "title")
    by_title = {}
    async for b in books:
        by_title.setdefault(b.title, {"title": b.title, "author": b.author, "year": b.year})
    return JsonResponse({"genre": genre, "books": list(by_title.values())})
