"""Wrong (for the house rules): lets the lazy load happen in asyncio.to_thread. The author
arrives, but the query opened a database connection in the loop's default executor, where
Django never closes it."""

import asyncio

from django.http import Http404, JsonResponse

from .models import Book


async def book_detail(request, book_id):
    try:
        book = await Book.objects.aget(pk=book_id)
    except Book.DoesNotExist:
        raise Http404(f"No book {book_id}") from None
    author = await asyncio.to_thread(lambda: book.author)

    return JsonResponse(
        {
            "id": book.pk,
            "title": book.title,
            "year": book.year,
            "author": {"name": author.name, "country": author.country},
        }
    )
