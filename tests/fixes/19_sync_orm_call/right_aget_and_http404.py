"""Right: the async ORM's aget() and acount(), turning DoesNotExist into Http404 by hand
(what aget_object_or_404 does)."""

from django.http import Http404, JsonResponse

from .models import Book


async def book_detail(request, book_id):
    try:
        book = await Book.objects.aget(pk=book_id)
    except Book.DoesNotExist:
        raise Http404(f"No book {book_id}") from None
    more_by_author = await Book.objects.filter(author=book.author).exclude(pk=book.pk).acount()

    return JsonResponse(
        {
            "id": book.pk,
            "title": book.title,
            "author": book.author,
            "year": book.year,
            "more_by_author": more_by_author,
        }
    )
