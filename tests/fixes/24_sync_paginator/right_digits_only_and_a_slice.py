"""Right: paginates by hand: only ASCII digits make a page number, acount() and ceil() give
the pages (at least one), and an awaited slice of values() rows gives the page."""

import math

from django.http import Http404, JsonResponse

from .models import Article

PER_PAGE = 5


async def news(request):
    raw = request.GET.get("page", "1")
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise Http404("no")
    number = int(raw)
    count = await Article.objects.acount()
    pages = max(1, math.ceil(count / PER_PAGE))
    if number > pages:
        raise Http404("no")
    start = (number - 1) * PER_PAGE
    rows = Article.objects.order_by("-published", "title").values("title", "published")[
        start : start + PER_PAGE
    ]
    return JsonResponse(
        {
            "page": number,
            "pages": pages,
            "count": count,
            "has_next": number < pages,
            "has_previous": number > 1,
            "articles": [
                {"title": r["title"], "published": r["published"].isoformat()} async for r in rows
            ],
        }
    )
