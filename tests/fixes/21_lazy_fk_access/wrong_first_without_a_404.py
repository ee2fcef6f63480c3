"""Wrong: select_related() with afirst() loads the author in the same awaited query, but
afirst() answers None for a missing book, and the view reads None.title: a 500, not a 404."""

from django.http import JsonResponse

from .models import Book


async def book_detail(request, book_id):
    book = await Book.objects.select_related("author").filter(pk=book_id).afirst()

    return JsonResponse(
        {
            "id": book.pk,
            "title": book.title,
            "year": book.year,
            "author": {"name": book.author.name, "country": book.author.country},
        }
    )
