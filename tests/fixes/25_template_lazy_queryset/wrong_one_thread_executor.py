"""Wrong: loads the picks in a thread of its own, a pool of one thread for the whole site.
The page is right, but every visitor's query queues for that one thread, and its database
connection is never closed or recycled by Django (it belongs to no request)."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from django.shortcuts import render

from .models import Book

DATABASE_THREAD = ThreadPoolExecutor(max_workers=1)


def load_picks():
    return list(Book.objects.filter(staff_pick=True).select_related("author").order_by("title"))


async def staff_picks(request):
    loop = asyncio.get_running_loop()
    picks = await loop.run_in_executor(DATABASE_THREAD, load_picks)
    return render(request, "kata25/staff_picks.html", {"picks": picks})
