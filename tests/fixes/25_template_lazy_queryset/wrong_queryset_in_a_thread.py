"""Wrong: builds the queryset through sync_to_async, but a queryset is lazy; the template
still runs the query, synchronously, while rendering on the loop."""

from asgiref.sync import sync_to_async
from django.shortcuts import render

from .models import Book


async def staff_picks(request):
    picks = await sync_to_async(Book.objects.filter)(staff_pick=True)
    return render(request, "kata25/staff_picks.html", {"picks": picks.order_by("title")})
