"""Right: a second awaited query, for the author whose books include this one (the reverse
relation, books__pk)."""

from django.http import Http404, JsonResponse

from .models import Author, Book


async def book_detail(request, book_id):
    try:
        book = await Book.objects.aget(pk=book_id)
    except Book.DoesNotExist:
        raise Http404("no") from None
    author = await Author.objects.aget(books__pk=book.pk)
    return JsonResponse(
        {
            "id": book.pk,
            "title": book.title,
            "year": book.year,
            "author": {"name": author.name, "country": author.country},
        }
    )
