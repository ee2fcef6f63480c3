"""Wrong: sets DJANGO_ALLOW_ASYNC_UNSAFE, which silences Django's guard; the sync queries
still run on the event loop and block every other request while the database answers."""

import os

from django.http import JsonResponse
from django.shortcuts import get_object_or_404

from .models import Book

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


async def book_detail(request, book_id):
    book = get_object_or_404(Book, pk=book_id)
    more_by_author = Book.objects.filter(author=book.author).exclude(pk=book.pk).count()

    return JsonResponse(
        {
            "id": book.pk,
            "title": book.title,
            "author": book.author,
            "year": book.year,
            "more_by_author": more_by_author,
        }
    )
