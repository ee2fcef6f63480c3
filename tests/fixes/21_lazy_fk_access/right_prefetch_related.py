"""Right: prefetch_related() loads the author with a second query, run in the same awaited
aget(); the book arrives with its author already attached."""

from django.http import Http404, JsonResponse

from .models import Book


async def book_detail(request, book_id):
    try:
        book = await Book.objects.prefetch_related("author").aget(pk=book_id)
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
