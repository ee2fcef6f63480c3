from django.http import JsonResponse

from .models import Book


async def shelf(request, genre):
    books = Book.objects.filter(genre=genre).order_by("-year", "title")

    # TODO: the queryset above has not asked the database anything yet. When does it?
    shelf = [{"title": book.title, "author": book.author, "year": book.year} for book in books]

    return JsonResponse({"genre": genre, "books": shelf})
