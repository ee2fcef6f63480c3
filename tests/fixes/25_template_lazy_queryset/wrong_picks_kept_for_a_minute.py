"""Wrong: loads the picks with their authors before rendering, but keeps the rendered page for
a minute "because picks change weekly": a pick added or dropped a moment ago is not shown."""

import time

from django.shortcuts import render

from .models import Book

_page = {}


async def staff_picks(request):
    kept = _page.get("picks")
    if kept is None or time.monotonic() - kept[0] > 60:
        picks = [
            book
            async for book in Book.objects.filter(staff_pick=True)
            .select_related("author")
            .order_by("title")
        ]
        kept = (time.monotonic(), render(request, "kata25/staff_picks.html", {"picks": picks}))
        _page["picks"] = kept
    return kept[1]
