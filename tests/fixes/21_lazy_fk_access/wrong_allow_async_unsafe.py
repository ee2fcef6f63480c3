"""Wrong: DJANGO_ALLOW_ASYNC_UNSAFE silences Django's guard; the author's lazy query still
runs synchronously on the event loop."""

import os

from django.http import Http404, JsonResponse

from .models import Book

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


async def book_detail(request, book_id):
    try:
        book = await Book.objects.aget(pk=book_id)
    except Book.DoesNotExist:
        raise Http404(f"No book {book_id}") from None

    return JsonResponse(
        {
            "id": book.pk,
            "title": book.title,
            "year": book.year,
            "author": {"name": book.author.name, "country": book.author.country},
        }
    )
