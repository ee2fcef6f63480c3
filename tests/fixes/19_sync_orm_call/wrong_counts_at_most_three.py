"""Wrong: the page says "3 more by this author" at most, so it slices the count to three:
an author with six more books is shown with three."""

from django.http import JsonResponse
from django.shortcuts import aget_object_or_404

from .models import Book


async def book_detail(request, book_id):
    book = await aget_object_or_404(Book, pk=book_id)
    more = await Book.objects.filter(author=book.author).exclude(pk=book.pk)[:3].acount()
    return JsonResponse(
        {
            "id": book.pk,
            "title": book.title,
            "author": book.author,
            "year": book.year,
            "more_by_author": more,
        }
    )
