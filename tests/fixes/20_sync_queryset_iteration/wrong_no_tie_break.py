"""Wrong: iterates with async for, but orders by year only; books of the same year come in
whatever order the database finds them, not by title."""

from django.http import JsonResponse

from .models import Book


async def shelf(request, genre):
    books = Book.objects.filter(genre=genre).order_by("-year")
    shelf = [
        {"title": book.title, "author": book.author, "year": book.year} async for book in books
    ]

    return JsonResponse({"genre": genre, "books": shelf})
