"""Right: evaluates the picks with async for before rendering, with their authors loaded by
prefetch_related (a second query, run in the same awaited fetch)."""

from django.shortcuts import render

from .models import Book


async def staff_picks(request):
    picks = Book.objects.filter(staff_pick=True).prefetch_related("author").order_by("title")
    return render(request, "kata25/staff_picks.html", {"picks": [book async for book in picks]})
