"""Right: loads the picks and their authors in a thread (sync_to_async around list), then
renders the loaded list on the loop."""

from asgiref.sync import sync_to_async
from django.shortcuts import render

from .models import Book


async def staff_picks(request):
    picks = Book.objects.filter(staff_pick=True).select_related("author").order_by("title")
    return render(request, "kata25/staff_picks.html", {"picks": await sync_to_async(list)(picks)})
