"""Right: asks for exactly the fields the page shows, the author's across the relation
(author__name), in one awaited query; no model instance, so nothing lazy to load."""

from django.http import Http404, JsonResponse

from .models import Book


async def book_detail(request, book_id):
    fields = ("id", "title", "year", "author__name", "author__country")
    book = await Book.objects.filter(pk=book_id).values(*fields).afirst()
    if book is None:
        raise Http404(f"No book {book_id}")

    return JsonResponse(
        {
            "id": book["id"],
            "title": book["title"],
            "year": book["year"],
            "author": {"name": book["author__name"], "country": book["author__country"]},
        }
    )
