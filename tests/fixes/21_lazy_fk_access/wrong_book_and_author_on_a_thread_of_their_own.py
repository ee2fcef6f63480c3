"""Wrong: the sync lookup (book, then its author) in sync_to_async(thread_sensitive=False):
a thread of a shared pool, not the request's, whose connection stays open afterwards."""

from asgiref.sync import sync_to_async
from django.http import JsonResponse
from django.shortcuts import get_object_or_404

from .models import Book


def load(book_id):
    book = get_object_or_404(Book, pk=book_id)
    book.author
    return book


async def book_detail(request, book_id):
    book = await sync_to_async(load, thread_sensitive=False)(book_id)

    return JsonResponse(
        {
            "id": book.pk,
            "title": book.title,
            "year": book.year,
            "author": {"name": book.author.name, "country": book.author.country},
        }
    )
