"""Right: evaluates the queryset with list() in a thread, through sync_to_async, then
builds the shelf from the plain list on the loop."""

from asgiref.sync import sync_to_async
from django.http import JsonResponse

from .models import Book


async def shelf(request, genre):
    books = await sync_to_async(list)(Book.objects.filter(genre=genre).order_by("-year", "title"))

    shelf = [{"title": book.title, "author": book.author, "year": book.year} for book in books]

    return JsonResponse({"genre": genre, "books": shelf})
