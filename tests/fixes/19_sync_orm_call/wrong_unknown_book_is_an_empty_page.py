"""Wrong: asks for the book with afirst(), which answers None for a missing book, and then
answers 200 with an empty page: a link to a book that does not exist looks like a book."""

from django.http import JsonResponse

from .models import Book


async def book_detail(request, book_id):
    book = await Book.objects.filter(pk=book_id).afirst()
    if book is None:
        return JsonResponse({})
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
