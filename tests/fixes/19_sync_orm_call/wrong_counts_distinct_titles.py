"""Wrong: counts the author's other titles, not books (distinct titles): a second edition of
a title the author already has in the shop is not counted."""

from django.http import JsonResponse
from django.shortcuts import aget_object_or_404

from .models import Book


async def book_detail(request, book_id):
    book = await aget_object_or_404(Book, pk=book_id)
    titles = Book.objects.filter(author=book.author).values("title").distinct()
    more_by_author = await titles.acount() - 1

    return JsonResponse(
        {
            "id": book.pk,
            "title": book.title,
            "author": book.author,
            "year": book.year,
            "more_by_author": more_by_author,
        }
    )
