"""Right: fetches the author with a second awaited query, by the key the book already
holds (book.author_id needs no query)."""

from django.http import Http404, JsonResponse

from .models import Author, Book


async def book_detail(request, book_id):
    try:
        book = await Book.objects.aget(pk=book_id)
    except Book.DoesNotExist:
        raise Http404(f"No book {book_id}") from None
    author = await Author.objects.aget(pk=book.author_id)

    return JsonResponse(
        {
            "id": book.pk,
            "title": book.title,
            "year": book.year,
            "author": {"name": author.name, "country": author.country},
        }
    )
