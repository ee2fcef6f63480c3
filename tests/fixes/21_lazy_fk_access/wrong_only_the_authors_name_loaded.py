"""Wrong: select_related with only() the author's name: reading the author's country later
is a deferred field, loaded by a sync query on the loop."""

from django.http import Http404, JsonResponse

from .models import Book


async def book_detail(request, book_id):
    try:
        book = (
            await Book.objects.select_related("author")
            .only("title", "year", "author__name")
            .aget(pk=book_id)
        )
    except Book.DoesNotExist:
        raise Http404(f"No book {book_id}") from None

    return JsonResponse(
        {
            "id": book.pk,
            "title": book.title,
            "year": book.year,
            "author": {"name": book.author.name, "country": book.author.country},
        }
    )
