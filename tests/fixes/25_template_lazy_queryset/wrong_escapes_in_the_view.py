"""Wrong: escapes the titles and names in the view "to be safe" (html.escape gives plain
strings), then hands them to the template, which escapes them again: 'Cats & Dogs' shows
as 'Cats &amp; Dogs'."""

import html

from django.shortcuts import render

from .models import Book


async def staff_picks(request):
    picks = []
    async for book in (
        Book.objects.filter(staff_pick=True).select_related("author").order_by("title")
    ):
        book.title = html.escape(book.title)
        book.author.name = html.escape(book.author.name)
        picks.append(book)
    return render(request, "kata25/staff_picks.html", {"picks": picks})
