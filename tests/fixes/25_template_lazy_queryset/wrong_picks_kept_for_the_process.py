"""Wrong: loads the picks with their authors (async for, select_related), but only once per
process: next week's picks never reach the page until the server restarts."""

from django.shortcuts import render

from .models import Book

_picks = None


async def staff_picks(request):
    global _picks
    if _picks is None:
        _picks = [
            book
            async for book in Book.objects.filter(staff_pick=True)
            .select_related("author")
            .order_by("title")
        ]
    return render(request, "kata25/staff_picks.html", {"picks": _picks})
