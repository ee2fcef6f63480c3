from django.http import Http404, JsonResponse

from .models import Book


async def book_detail(request, book_id):
    try:
        book = await Book.objects.aget(pk=book_id)
    except Book.DoesNotExist:
        raise Http404(f"No book {book_id}") from None

    return JsonResponse(
        {
            "id": book.pk,
            "title": book.title,
            "year": book.year,
            # TODO: `book` came from the database above. Did its author come with it?
            "author": {"name": book.author.name, "country": book.author.country},
        }
    )
