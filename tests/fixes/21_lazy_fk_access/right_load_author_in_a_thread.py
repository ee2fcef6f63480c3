"""Right: lets the lazy load happen, but in a thread: sync_to_async runs the attribute
access (and its query) off the event loop."""

from asgiref.sync import sync_to_async
from django.http import Http404, JsonResponse

from .models import Book


async def book_detail(request, book_id):
    try:
        book = await Book.objects.aget(pk=book_id)
    except Book.DoesNotExist:
        raise Http404(f"No book {book_id}") from None
    author = await sync_to_async(lambda: book.author)()

    return JsonResponse(
        {
            "id": book.pk,
            "title": book.title,
            "year": book.year,
            "author": {"name": author.name, "country": author.country},
        }
    )
