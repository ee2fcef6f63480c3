from django.http import JsonResponse
from django.shortcuts import aget_object_or_404

from .models import Book


async def book_detail(request, book_id):
    # An async view runs on the event loop, where the sync ORM would block every other
    # request while the database answers (Django refuses: SynchronousOnlyOperation).
    # The a-prefixed twins run the query in a thread and let the view await it.
    book = await aget_object_or_404(Book, pk=book_id)
    more_by_author = await Book.objects.filter(author=book.author).exclude(pk=book.pk).acount()

    return JsonResponse(
        {
            "id": book.pk,
            "title": book.title,
            "author": book.author,
            "year": book.year,
            "more_by_author": more_by_author,
        }
    )
