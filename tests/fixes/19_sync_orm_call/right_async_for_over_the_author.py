"""Right: fetches the book with afirst() (None turned into Http404), then walks the author's
books with async for and counts those that are not this one."""

from django.http import Http404, JsonResponse

from .models import Book


async def book_detail(request, book_id):
    book = await Book.objects.filter(pk=book_id).afirst()
    if book is None:
        raise Http404(f"No book {book_id}")
    more_by_author = 0
    async for other in Book.objects.filter(author=book.author).only("pk"):
        more_by_author += other.pk != book.pk

    return JsonResponse(
        {
            "id": book.pk,
            "title": book.title,
            "author": book.author,
            "year": book.year,
            "more_by_author": more_by_author,
        }
    )
