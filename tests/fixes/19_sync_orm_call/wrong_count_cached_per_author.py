"""Wrong: keeps each author's count in a module-level dict for ever: a book by the author that
arrives later is never counted."""

from django.http import JsonResponse
from django.shortcuts import aget_object_or_404

from .models import Book

_counts = {}


async def book_detail(request, book_id):
    book = await aget_object_or_404(Book, pk=book_id)
    if book.author not in _counts:
        _counts[book.author] = await Book.objects.filter(author=book.author).acount()
    return JsonResponse(
        {
            "id": book.pk,
            "title": book.title,
            "author": book.author,
            "year": book.year,
            "more_by_author": _counts[book.author] - 1,
        }
    )
