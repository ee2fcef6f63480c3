from django.shortcuts import render

from .models import Book


async def staff_picks(request):
    picks = Book.objects.filter(staff_pick=True).order_by("title")
    # TODO: the template reads the picks and each pick's author. When, and how, do they
    # come out of the database?
    return render(request, "kata25/staff_picks.html", {"picks": picks})
