"""Wrong: fetches the author with an awaited aget() by author_id, but keeps every author in a
module-level dict for ever: an author renamed since is shown under the old name."""

from django.http import Http404, JsonResponse

from .models import Author, Book

_authors = {}


async def book_detail(request, book_id):
    try:
        book = await Book.objects.aget(pk=book_id)
    except Book.DoesNotExist:
        raise Http404("no") from None
    if book.author_id not in _authors:
        _authors[book.author_id] = await Author.objects.aget(pk=book.author_id)
    author = _authors[book.author_id]
    return JsonResponse(
        {
            "id": book.pk,
            "title": book.title,
            "year": book.year,
            "author": {"name": author.name, "country": author.country},
        }
    )
