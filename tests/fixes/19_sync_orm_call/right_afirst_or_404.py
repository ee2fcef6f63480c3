"""Right: afirst() on the book's pk (None is a 404), then async for over the author's books,
counting those that are not this one."""

from django.http import Http404, JsonResponse

from .models import Book


async def book_detail(request, book_id):
    book = await Book.objects.filter(pk=book_id).afirst()
    if book is None:
        raise Http404("No such book")
    more_by_author = 0
    async for other in Book.objects.filter(author=book.author).only("pk"):
        if other.pk != book.pk:
            more_by_author += 1
    return JsonResponse(
        {
            "id": book.pk,
            "title": book.title,
            "author": book.author,
            "year": book.year,
            "more_by_author": more_by_author,
        }
    )
