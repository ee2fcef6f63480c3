"""Wrong: loads every author once, on the first request, into a module-level dict: a new
author's first book is a 500 (KeyError), and renamed authors never change."""

from django.http import Http404, JsonResponse

from .models import Author, Book

AUTHORS = None


async def book_detail(request, book_id):
    global AUTHORS
    if AUTHORS is None:
        AUTHORS = {a.pk: a async for a in Author.objects.all()}
    try:
        book = await Book.objects.aget(pk=book_id)
    except Book.DoesNotExist:
        raise Http404("no") from None
    author = AUTHORS[book.author_id]
    return JsonResponse(
        {
            "id": book.pk,
            "title": book.title,
            "year": book.year,
            "author": {"name": author.name, "country": author.country},
        }
    )
