"""Wrong: paginates by hand with the async ORM and calls a page past the end when it starts
beyond the last article; one that starts right after it (the page after a full last page)
answers 200, empty, instead of 404."""

import math

from django.http import Http404, JsonResponse

from .models import Article

PER_PAGE = 5


async def news(request):
    page = request.GET.get("page", "1")
    if not page.isdecimal() or int(page) < 1:
        raise Http404("No such page")
    number = int(page)
    count = await Article.objects.acount()
    start = (number - 1) * PER_PAGE
    if start > count:
        raise Http404("No such page")
    pages = max(1, math.ceil(count / PER_PAGE))
    articles = Article.objects.order_by("-published", "title")[start : start + PER_PAGE]

    return JsonResponse(
        {
            "page": number,
            "pages": pages,
            "count": count,
            "has_next": number < pages,
            "has_previous": number > 1,
            "articles": [
                {"title": article.title, "published": article.published.isoformat()}
                async for article in articles
            ],
        }
    )
