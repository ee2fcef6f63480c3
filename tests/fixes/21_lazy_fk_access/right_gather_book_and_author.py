"""Right: gathers two awaited queries, the book and the author of the book with that id; a
missing book is a 404."""

import asyncio

from django.http import Http404, JsonResponse

from .models import Author, Book


async def book_detail(request, book_id):
    try:
        book, author = await asyncio.gather(
            Book.objects.aget(pk=book_id), Author.objects.filter(books__pk=book_id).afirst()
        )
    except Book.DoesNotExist:
        raise Http404("no") from None
    if author is None:
        raise Http404("no")
    return JsonResponse(
        {
            "id": book.pk,
            "title": book.title,
            "year": book.year,
            "author": {"name": author.name, "country": author.country},
        }
    )
