"""Wrong (for the house rules): lists the queryset in the loop's default executor, then
waits for it by spinning on asyncio.sleep(0): the rows are right, but the loop's thread
burns CPU the whole time, and the executor thread's connection stays open."""

import asyncio

from django.http import JsonResponse

from .models import Book


async def shelf(request, genre):
    books = Book.objects.filter(genre=genre).order_by("-year", "title")
    future = asyncio.get_running_loop().run_in_executor(None, list, books)
    while not future.done():
        await asyncio.sleep(0)

    shelf = [
        {"title": book.title, "author": book.author, "year": book.year} for book in future.result()
    ]
    return JsonResponse({"genre": genre, "books": shelf})
