"""Wrong: awaits the async twins, but counts every book by the author, the page's own book
included: "3 more by this author" when there are 2."""

from django.http import JsonResponse
from django.shortcuts import aget_object_or_404

from .models import Book


async def book_detail(request, book_id):
    book = await aget_object_or_404(Book, pk=book_id)
    more_by_author = await Book.objects.filter(author=book.author).acount()

    return JsonResponse(
        {
            "id": book.pk,
            "title": book.title,
            "author": book.author,
            "year": book.year,
            "more_by_author": more_by_author,
        }
    )
