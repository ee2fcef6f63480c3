"""Right: one sync function with a cursor and plain SQL, awaited through sync_to_async (it
runs in the request's thread, whose connection Django closes)."""

from asgiref.sync import sync_to_async
from django.db import connection
from django.http import Http404, JsonResponse

from .models import Book


@sync_to_async
def load(book_id):
    table = Book._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, title, author, year FROM {table} WHERE id = %s", [book_id])
        row = cursor.fetchone()
        if row is None:
            return None, 0
        cursor.execute(
            f"SELECT COUNT(*) FROM {table} WHERE author = %s AND id != %s", [row[2], row[0]]
        )
        return Book(id=row[0], title=row[1], author=row[2], year=row[3]), cursor.fetchone()[0]


async def book_detail(request, book_id):
    book, more_by_author = await load(book_id)
    if book is None:
        raise Http404("no such book")

    return JsonResponse(
        {
            "id": book.pk,
            "title": book.title,
            "author": book.author,
            "year": book.year,
            "more_by_author": more_by_author,
        }
    )
