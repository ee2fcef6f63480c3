"""Right: hands the lazy queryset to a template rendered in a thread (sync_to_async around
render): there, the template's sync queries are allowed and block no event loop."""

from asgiref.sync import sync_to_async
from django.shortcuts import render

from .models import Book


async def staff_picks(request):
    picks = Book.objects.filter(staff_pick=True).order_by("title")
    return await sync_to_async(render)(request, "kata25/staff_picks.html", {"picks": picks})
