from django.http import JsonResponse
from django.shortcuts import get_object_or_404

from .models import Book


async def book_detail(request, book_id):
    # TODO: this view is async. Look at each line that asks the database for something.
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
