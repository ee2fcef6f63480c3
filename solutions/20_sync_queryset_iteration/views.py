from django.http import JsonResponse

from .models import Book


async def shelf(request, genre):
    books = Book.objects.filter(genre=genre).order_by("-year", "title")

    # A queryset is lazy: building it asks nothing, iterating it runs the query. A plain
    # `for` iterates synchronously (blocking the loop, so Django refuses); `async for`
    # fetches the rows in a thread and awaits them.
    shelf = [
        {"title": book.title, "author": book.author, "year": book.year} async for book in books
    ]

    return JsonResponse({"genre": genre, "books": shelf})
