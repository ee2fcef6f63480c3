"""Right: async for over the queryset's aiterator(), which fetches the rows in chunks of
fifty in a thread, awaited."""

from django.http import JsonResponse

from .models import Book


async def shelf(request, genre):
    books = Book.objects.filter(genre=genre).order_by("-year", "title")
    shelf = []
    async for b in books.aiterator(chunk_size=50):
        shelf.append({"title": b.title, "author": b.author, "year": b.year})
    return JsonResponse({"genre": genre, "books": shelf})
