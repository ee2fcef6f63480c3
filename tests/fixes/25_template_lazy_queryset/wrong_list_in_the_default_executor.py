"""Wrong (for the house rules): loads the picks in the loop's default executor, a pool
thread Django does not manage: its database connection is opened there and never closed."""

import asyncio

from django.shortcuts import render

from .models import Book


async def staff_picks(request):
    picks = Book.objects.filter(staff_pick=True).select_related("author").order_by("title")
    loaded = await asyncio.get_running_loop().run_in_executor(None, list, picks)
    return render(request, "kata25/staff_picks.html", {"picks": loaded})
