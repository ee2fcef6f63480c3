"""Wrong: loads the picks, then each author in sync code run on the loop with a short
pause between them "to spare the database": time.sleep holds the event loop."""

import time

from asgiref.sync import sync_to_async
from django.shortcuts import render

from .models import Author, Book


async def staff_picks(request):
    picks = [book async for book in Book.objects.filter(staff_pick=True).order_by("title")]
    authors = await sync_to_async(Author.objects.in_bulk)([book.author_id for book in picks])
    for book in picks:
        time.sleep(0.03)
        book.author = authors[book.author_id]
    return render(request, "kata25/staff_picks.html", {"picks": picks})
