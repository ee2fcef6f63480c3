"""Wrong: DJANGO_ALLOW_ASYNC_UNSAFE silences Django's guard; the template's queries still
run synchronously on the event loop while it renders."""

import os

from django.shortcuts import render

from .models import Book

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


async def staff_picks(request):
    picks = Book.objects.filter(staff_pick=True).order_by("title")
    return render(request, "kata25/staff_picks.html", {"picks": picks})
