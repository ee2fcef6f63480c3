"""Wrong: the sync queries moved to asyncio.to_thread: off the loop, but in threads Django
does not manage, whose database connections stay open after the response."""

import asyncio

from django.http import Http404, JsonResponse

from .models import Book


def more_by(book):
    return Book.objects.filter(author=book.author).exclude(pk=book.pk).count()


async def book_detail(request, book_id):
    book = await asyncio.to_thread(Book.objects.filter(pk=book_id).first)
    if book is None:
        raise Http404("no such book")
    more_by_author = await asyncio.to_thread(more_by, book)

    return JsonResponse(
        {
            "id": book.pk,
            "title": book.title,
            "author": book.author,
            "year": book.year,
            "more_by_author": more_by_author,
        }
    )
