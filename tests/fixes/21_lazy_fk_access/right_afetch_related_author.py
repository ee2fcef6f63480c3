"""Right: fetches the book, then awaits the author by its id in a second query, and a book
missing at either step is a 404 (the author's books cascade away with it)."""

from django.http import Http404, JsonResponse

from .models import Author, Book


async def book_detail(request, book_id):
    book = await Book.objects.filter(pk=book_id).only("pk", "title", "year", "author_id").afirst()
    if book is None:
        raise Http404(f"No book {book_id}")
    author = await Author.objects.filter(pk=book.author_id).values("name", "country").afirst()
    if author is None:
        raise Http404(f"No author for book {book_id}")

    return JsonResponse({"id": book.pk, "title": book.title, "year": book.year, "author": author})
