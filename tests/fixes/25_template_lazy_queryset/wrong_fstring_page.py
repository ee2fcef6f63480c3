"""Wrong: loads the picks and their authors properly, but builds the page with an f-string
instead of the template. Nothing is escaped: a title holding '<' becomes an element, and a
name can carry a script into every visitor's browser."""

from django.http import HttpResponse

from .models import Book

PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Staff picks</title></head>
<body>
  <h1>Staff picks</h1>
  {content}
</body>
</html>
"""


async def staff_picks(request):
    picks = [
        book
        async for book in Book.objects.filter(staff_pick=True)
        .select_related("author")
        .order_by("title")
    ]
    if not picks:
        content = '<p class="empty">No staff picks this week: ask us at the counter!</p>'
    else:
        items = "".join(
            f'<li class="pick"><cite>{book.title}</cite> by '
            f'<span class="author">{book.author.name}</span></li>'
            for book in picks
        )
        content = f'<ul class="picks">{items}</ul>'
    return HttpResponse(PAGE.format(content=content))
