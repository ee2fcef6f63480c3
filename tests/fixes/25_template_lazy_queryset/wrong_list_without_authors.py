"""Wrong: evaluates the picks with async for, but not their authors; the template's
{{ book.author.name }} still runs a lazy, sync query per book on the loop."""

from django.shortcuts import render

from .models import Book


async def staff_picks(request):
    picks = [book async for book in Book.objects.filter(staff_pick=True).order_by("title")]
    return render(request, "kata25/staff_picks.html", {"picks": picks})
