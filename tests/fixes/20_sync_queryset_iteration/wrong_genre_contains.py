"""Wrong: iterates with async for, but matches the genre with icontains: the crime shelf
also shows true crime, and science shows science fiction."""

from django.http import JsonResponse

from .models import Book


async def shelf(request, genre):
    books = Book.objects.filter(genre__icontains=genre).order_by("-year", "title")
    shelf = [
        {"title": book.title, "author": book.author, "year": book.year} async for book in books
    ]

    return JsonResponse({"genre": genre, "books": shelf})
