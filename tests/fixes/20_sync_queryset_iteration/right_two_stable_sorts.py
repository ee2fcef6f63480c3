"""Right: fetches the shelf unordered with an async comprehension, then sorts in Python by
title and again, stably, by year newest first."""

from operator import attrgetter

from django.http import JsonResponse

from .models import Book


async def shelf(request, genre):
    books = [b async for b in Book.objects.filter(genre=genre)]
    books.sort(key=attrgetter("title"))
    books.sort(key=attrgetter("year"), reverse=True)
    return JsonResponse(
        {
            "genre": genre,
            "books": [{"title": b.title, "author": b.author, "year": b.year} for b in books],
        }
    )
