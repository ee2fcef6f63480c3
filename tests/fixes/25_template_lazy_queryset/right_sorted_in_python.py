"""Right: loads the picks with their authors through the async ORM and sorts them by title
in Python; the template gets a plain, fully loaded list."""

from django.shortcuts import render

from .models import Book


async def staff_picks(request):
    picks = [book async for book in Book.objects.filter(staff_pick=True).select_related("author")]
    picks.sort(key=lambda book: book.title)
    return render(request, "kata25/staff_picks.html", {"picks": picks})
