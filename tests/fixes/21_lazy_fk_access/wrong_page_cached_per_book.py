"""Wrong: select_related() in an awaited aget(), but every page kept in a module-level dict for
ever: a removed book is still shown, a renamed author never changes."""

from django.http import Http404, JsonResponse

from .models import Book

_pages = {}


async def book_detail(request, book_id):
    if book_id not in _pages:
        try:
            book = await Book.objects.select_related("author").aget(pk=book_id)
        except Book.DoesNotExist:
            raise Http404("no") from None
        _pages[book_id] = {
            "id": book.pk,
            "title": book.title,
            "year": book.year,
            "author": {"name": book.author.name, "country": book.author.country},
        }
    return JsonResponse(_pages[book_id])
