"""Wrong: the count runs in sync_to_async(thread_sensitive=False), "beside the other queries":
each request opens a database connection on a fresh executor thread and never closes it."""

from asgiref.sync import sync_to_async
from django.http import JsonResponse
from django.shortcuts import aget_object_or_404

from .models import Book


async def book_detail(request, book_id):
    book = await aget_object_or_404(Book, pk=book_id)
    # The count can run beside other requests' queries: no need to queue on the shared thread.
    others = Book.objects.filter(author=book.author).exclude(pk=book.pk)
    more_by_author = await sync_to_async(others.count, thread_sensitive=False)()
    return JsonResponse(
        {
            "id": book.pk,
            "title": book.title,
            "author": book.author,
            "year": book.year,
            "more_by_author": more_by_author,
        }
    )
