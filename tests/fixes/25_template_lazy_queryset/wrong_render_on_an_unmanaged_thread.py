"""Wrong (for the house rules): renders the whole page in a thread, but with
thread_sensitive=False: a pool thread Django does not manage opens a database connection for
the template's queries and never closes it."""

from asgiref.sync import sync_to_async
from django.shortcuts import render

from .models import Book


async def staff_picks(request):
    picks = Book.objects.filter(staff_pick=True).select_related("author").order_by("title")
    return await sync_to_async(render, thread_sensitive=False)(
        request, "kata25/staff_picks.html", {"picks": picks}
    )
