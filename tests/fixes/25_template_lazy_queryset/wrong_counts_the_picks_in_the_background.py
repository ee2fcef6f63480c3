"""Wrong: renders loaded picks, but starts a task to log how many picks there are and does
not wait for it: the task (and its query) is still running after the response is sent."""

import asyncio
import logging

from django.shortcuts import render

from .models import Book

log = logging.getLogger(__name__)


async def _log_count():
    count = await Book.objects.filter(staff_pick=True).acount()
    await asyncio.sleep(0.05)
    log.info("staff picks shown: %s", count)


async def staff_picks(request):
    picks = [
        book
        async for book in Book.objects.filter(staff_pick=True)
        .select_related("author")
        .order_by("title")
    ]
    asyncio.create_task(_log_count())
    return render(request, "kata25/staff_picks.html", {"picks": picks})
