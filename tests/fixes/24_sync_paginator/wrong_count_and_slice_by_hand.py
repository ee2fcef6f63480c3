"""Wrong: paginates by hand with the async ORM, but trusts int() and ceil(): a page number
that is not a number is a 500, and with no news at all there are zero pages, so even the
first page is a 404."""

import math

from django.http import Http404, JsonResponse

from .models import Article

PER_PAGE = 5


async def news(request):
    number = int(request.GET.get("page", 1))
    count = await Article.objects.acount()
    pages = math.ceil(count / PER_PAGE)
    if not 1 <= number <= pages:
        raise Http404("No such page")
    start = (number - 1) * PER_PAGE
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
