"""Wrong: sets DJANGO_ALLOW_ASYNC_UNSAFE so Django stops refusing; the query still runs on
the event loop and blocks every other request while the database answers."""

import os

from django.http import JsonResponse

from .models import Book

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "1"


async def shelf(request, genre):
    books = Book.objects.filter(genre=genre).order_by("-year", "title")

    shelf = [{"title": book.title, "author": book.author, "year": book.year} for book in books]

    return JsonResponse({"genre": genre, "books": shelf})
