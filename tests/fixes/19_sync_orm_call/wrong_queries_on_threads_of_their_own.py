"""Wrong: sync_to_async(thread_sensitive=False): each query runs in a thread of a shared
pool, outside the request's thread, and leaves its connection open there."""

from asgiref.sync import sync_to_async
from django.http import JsonResponse
from django.shortcuts import get_object_or_404

from .models import Book


def more_by(book):
    return Book.objects.filter(author=book.author).exclude(pk=book.pk).count()


async def book_detail(request, book_id):
    book = await sync_to_async(get_object_or_404, thread_sensitive=False)(Book, pk=book_id)
    more_by_author = await sync_to_async(more_by, thread_sensitive=False)(book)

    return JsonResponse(
        {
            "id": book.pk,
            "title": book.title,
            "author": book.author,
            "year": book.year,
            "more_by_author": more_by_author,
        }
    )
