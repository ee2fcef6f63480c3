"""Wrong: switches to aget() but forgets the missing book: DoesNotExist escapes the view,
so an unknown id answers 500 instead of 404."""

from django.http import JsonResponse

from .models import Book


async def book_detail(request, book_id):
    book = await Book.objects.aget(pk=book_id)
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
