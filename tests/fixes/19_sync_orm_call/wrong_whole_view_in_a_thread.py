"""Wrong: keeps the old sync view and wraps all of it in sync_to_async. The result is a
coroutine function, but nothing in it is async: it is a sync view in disguise, and next
month's call to the recommendation service could not be awaited in it."""

from asgiref.sync import sync_to_async
from django.http import JsonResponse
from django.shortcuts import get_object_or_404

from .models import Book


def sync_book_detail(request, book_id):
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


book_detail = sync_to_async(sync_book_detail)
