"""Wrong: fetches the shelf with async for and sorts it in Python, by year only; the sort
keeps the database's order within a year, which is not by title."""

from django.http import JsonResponse

from .models import Book


async def shelf(request, genre):
    rows = [
        {"title": book.title, "author": book.author, "year": book.year}
        async for book in Book.objects.filter(genre=genre)
    ]
    rows.sort(key=lambda row: row["year"], reverse=True)

    return JsonResponse({"genre": genre, "books": rows})
