"""Right: keeps the familiar sync calls in one sync helper and awaits it through
sync_to_async, which runs the helper (and its two queries) in a thread."""

from asgiref.sync import sync_to_async
from django.http import JsonResponse
from django.shortcuts import get_object_or_404

from .models import Book


def load_book(book_id):
    book = get_object_or_404(Book, pk=book_id)
    more_by_author = Book.objects.filter(author=book.author).exclude(pk=book.pk).count()
    return book, more_by_author


async def book_detail(request, book_id):
    book, more_by_author = await sync_to_async(load_book)(book_id)

    return JsonResponse(
        {
            "id": book.pk,
            "title": book.title,
            "author": book.author,
            "year": book.year,
            "more_by_author": more_by_author,
        }
    )
