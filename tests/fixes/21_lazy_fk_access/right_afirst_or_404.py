"""Right: select_related with afirst() on a filter, and a 404 by hand when it finds none."""

from django.http import Http404, JsonResponse

from .models import Book


async def book_detail(request, book_id):
    book = await Book.objects.select_related("author").filter(pk=book_id).afirst()
    if book is None:
        raise Http404(f"No book {book_id}")
    return JsonResponse(
        {
            "id": book.pk,
            "title": book.title,
            "year": book.year,
            "author": {"name": book.author.name, "country": book.author.country},
        }
    )
