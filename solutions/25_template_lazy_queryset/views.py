from django.shortcuts import render

from .models import Book


async def staff_picks(request):
    # A template renders synchronously: everything it reads must be loaded before it runs.
    # A lazy queryset would be queried by {% if %} and {% for %}, and each book.author by
    # its own query, all sync. So: fetch the rows with async for, authors included
    # (select_related), and hand the template a plain list.
    picks = [
        book
        async for book in Book.objects.filter(staff_pick=True)
        .select_related("author")
        .order_by("title")
    ]
    return render(request, "kata25/staff_picks.html", {"picks": picks})
