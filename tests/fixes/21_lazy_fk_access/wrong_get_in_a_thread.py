"""Wrong: runs the book's query in a thread with sync_to_async, but the author is still
loaded lazily, by a sync query on the loop, when book.author is read."""

from asgiref.sync import sync_to_async
from django.http import Http404, JsonResponse

from .models import Book


async def book_detail(request, book_id):
    try:
        book = await sync_to_async(Book.objects.get)(pk=book_id)
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
