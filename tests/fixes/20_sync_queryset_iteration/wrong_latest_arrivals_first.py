"""Wrong: iterates with async for, but "newest first" as the latest arrivals first (-pk),
not by year: the shop's order of arrival is not the shelf's."""

from django.http import JsonResponse

from .models import Book


async def shelf(request, genre):
    books = Book.objects.filter(genre=genre).order_by("-pk")
    shelf = [{"title": b.title, "author": b.author, "year": b.year} async for b in books]
    return JsonResponse({"genre": genre, "books": shelf})
