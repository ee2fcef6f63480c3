"""Right: asks only for the three columns with values() and collects the dicts with an
async comprehension."""

from django.http import JsonResponse

from .models import Book


async def shelf(request, genre):
    rows = Book.objects.filter(genre=genre).order_by("-year", "title")
    shelf = [row async for row in rows.values("title", "author", "year")]

    return JsonResponse({"genre": genre, "books": shelf})
