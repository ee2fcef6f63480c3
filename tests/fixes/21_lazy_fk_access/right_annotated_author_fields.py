"""Right: the author's name and country come with the book's row as F() annotations, read with
afirst() (None is a 404): no lazy access, no second query."""

from django.db.models import F
from django.http import Http404, JsonResponse

from .models import Book


async def book_detail(request, book_id):
    # The author's fields come with the book's row, as annotations: no second query at all.
    book = (
        await Book.objects.annotate(
            author_name=F("author__name"), author_country=F("author__country")
        )
        .filter(pk=book_id)
        .afirst()
    )
    if book is None:
        raise Http404(f"No book {book_id}")
    return JsonResponse(
        {
            "id": book.pk,
            "title": book.title,
            "year": book.year,
            "author": {"name": book.author_name, "country": book.author_country},
        }
    )
