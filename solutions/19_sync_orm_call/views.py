from django.http import JsonResponse
from django.shortcuts import aget_object_or_404

from .models import Book


async def book_detail(request, book_id):
    # Django refuses sync ORM calls on the event loop's thread (SynchronousOnlyOperation):
    # a connection belongs to a thread, and every request on the loop would share it.
    # The a-prefixed twins run the query in a worker thread and let the view await it.
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
