"""Wrong: loads the picks with their authors before rendering, but drops the order_by on the
way: the picks come out in the order they were stored, not by title."""

from django.shortcuts import render

from .models import Book


async def staff_picks(request):
    picks = [book async for book in Book.objects.filter(staff_pick=True).select_related("author")]
    return render(request, "kata25/staff_picks.html", {"picks": picks})
