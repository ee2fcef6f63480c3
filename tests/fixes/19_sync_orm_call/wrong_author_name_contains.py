"""Wrong: matches the author with icontains: "Ada Berg Jr." is counted as one of Ada Berg's
books."""

from django.http import JsonResponse
from django.shortcuts import aget_object_or_404

from .models import Book


async def book_detail(request, book_id):
    book = await aget_object_or_404(Book, pk=book_id)
    more = await Book.objects.filter(author__icontains=book.author).exclude(pk=book.pk).acount()
    return JsonResponse(
        {
            "id": book.pk,
            "title": book.title,
            "author": book.author,
            "year": book.year,
            "more_by_author": more,
        }
    )
