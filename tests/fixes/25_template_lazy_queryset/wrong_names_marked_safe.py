"""Wrong: loads the picks with their authors, but marks each title and name safe "so accents
and quotes are not mangled": the template no longer escapes them, and a name holding '<'
becomes an element in the visitor's browser."""

from django.shortcuts import render
from django.utils.safestring import mark_safe

from .models import Book


async def staff_picks(request):
    picks = [
        book
        async for book in Book.objects.filter(staff_pick=True)
        .select_related("author")
        .order_by("title")
    ]
    for book in picks:
        book.title = mark_safe(book.title)
        book.author.name = mark_safe(book.author.name)
    return render(request, "kata25/staff_picks.html", {"picks": picks})
