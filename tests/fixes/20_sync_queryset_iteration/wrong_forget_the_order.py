"""Wrong: fetches the shelf with async for, but from a fresh query that drops the
"newest first" order."""

from django.http import JsonResponse

from .models import Book


async def shelf(request, genre):
    shelf = [
        {"title": book.title, "author": book.author, "year": book.year}
        async for book in Book.objects.filter(genre=genre)
    ]

    return JsonResponse({"genre": genre, "books": shelf})
