"""Wrong (for the house rules): runs the two sync queries in a module-level executor with one
thread. Every book page of every customer queues for that one thread, and its database
connection is never closed."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from django.http import JsonResponse
from django.shortcuts import get_object_or_404

from .models import Book

DATABASE_THREAD = ThreadPoolExecutor(max_workers=1)


def load_book(book_id):
    book = get_object_or_404(Book, pk=book_id)
    more_by_author = Book.objects.filter(author=book.author).exclude(pk=book.pk).count()
    return book, more_by_author


async def book_detail(request, book_id):
    loop = asyncio.get_running_loop()
    book, more_by_author = await loop.run_in_executor(DATABASE_THREAD, load_book, book_id)

    return JsonResponse(
        {
            "id": book.pk,
            "title": book.title,
            "author": book.author,
            "year": book.year,
            "more_by_author": more_by_author,
        }
    )
