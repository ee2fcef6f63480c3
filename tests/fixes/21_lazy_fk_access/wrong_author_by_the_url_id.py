"""Wrong: loads the author with a second awaited query, but by the id from the URL, which is
the book's id, not the author's: a book page shows someone else, or fails."""

from django.http import Http404, JsonResponse

from .models import Author, Book


async def book_detail(request, book_id):
    try:
        book = await Book.objects.aget(pk=book_id)
        author = await Author.objects.aget(pk=book_id)
    except (Book.DoesNotExist, Author.DoesNotExist):
        raise Http404(f"No book {book_id}") from None

    return JsonResponse(
        {
            "id": book.pk,
            "title": book.title,
            "year": book.year,
            "author": {"name": author.name, "country": author.country},
        }
    )
