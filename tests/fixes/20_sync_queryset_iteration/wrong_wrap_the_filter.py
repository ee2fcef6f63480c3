"""Wrong: awaits the filter() call through sync_to_async, but filter() only builds a lazy
queryset; the list comprehension still runs the query synchronously on the loop."""

from asgiref.sync import sync_to_async
from django.http import JsonResponse

from .models import Book


async def shelf(request, genre):
    books = await sync_to_async(Book.objects.filter)(genre=genre)
    books = books.order_by("-year", "title")

    shelf = [{"title": book.title, "author": book.author, "year": book.year} for book in books]

    return JsonResponse({"genre": genre, "books": shelf})
