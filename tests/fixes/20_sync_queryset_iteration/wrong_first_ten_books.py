"""Wrong: iterates with async for, but slices the queryset to the first ten books "to keep
the page small": the rest of the shelf is missing."""

from django.http import JsonResponse

from .models import Book


async def shelf(request, genre):
    books = Book.objects.filter(genre=genre).order_by("-year", "title")[:10]
    shelf = [{"title": b.title, "author": b.author, "year": b.year} async for b in books]
    return JsonResponse({"genre": genre, "books": shelf})
