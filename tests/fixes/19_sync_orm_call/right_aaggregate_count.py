"""Right: the count as an aggregate (aaggregate), the book with aget and Http404 by hand."""

from django.db.models import Count
from django.http import Http404, JsonResponse

from .models import Book


async def book_detail(request, book_id):
    try:
        book = await Book.objects.aget(pk=book_id)
    except Book.DoesNotExist:
        raise Http404("no such book") from None
    others = Book.objects.filter(author=book.author).exclude(pk=book.pk)
    more_by_author = (await others.aaggregate(n=Count("pk")))["n"]

    return JsonResponse(
        {
            "id": book.pk,
            "title": book.title,
            "author": book.author,
            "year": book.year,
            "more_by_author": more_by_author,
        }
    )
