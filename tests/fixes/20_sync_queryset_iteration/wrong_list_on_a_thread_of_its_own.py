"""Wrong: sync_to_async(thread_sensitive=False): the query runs in a thread of a shared pool,
not the request's, and leaves its connection open there."""

from asgiref.sync import sync_to_async
from django.http import JsonResponse

from .models import Book


def books_of(genre):
    return [
        {"title": book.title, "author": book.author, "year": book.year}
        for book in Book.objects.filter(genre=genre).order_by("-year", "title")
    ]


async def shelf(request, genre):
    books = await sync_to_async(books_of, thread_sensitive=False)(genre)
    return JsonResponse({"genre": genre, "books": books})
