from django.http import Http404, JsonResponse

from .models import Book


async def book_detail(request, book_id):
    try:
        # A foreign key is loaded lazily: reading book.author would run a second, sync query
        # on the loop. select_related() fetches the author in the same awaited query (a JOIN).
        book = await Book.objects.select_related("author").aget(pk=book_id)
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
