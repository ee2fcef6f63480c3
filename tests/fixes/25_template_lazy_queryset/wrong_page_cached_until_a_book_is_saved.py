"""Wrong: loads the picks properly, but keeps the rendered page until a Book is saved (a
post_save receiver clears it). A bulk update such as the admin's "unmark as pick" action
saves no instance, sends no signal, and the page goes on showing last week's picks."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.shortcuts import render

from .models import Book

_page = {}


@receiver(post_save, sender=Book)
def _forget_the_page(**kwargs):
    _page.clear()


async def staff_picks(request):
    if "picks" not in _page:
        _page["picks"] = [
            book
            async for book in Book.objects.filter(staff_pick=True)
            .select_related("author")
            .order_by("title")
        ]
    return render(request, "kata25/staff_picks.html", {"picks": _page["picks"]})
