"""Right: paginates by hand with the async ORM: acount() for the totals, then an awaited
slice of the ordered queryset for the page's rows."""

import math

from django.http import Http404, JsonResponse

from .models import Article

PER_PAGE = 5


async def news(request):
    try:
        number = int(request.GET.get("page", 1))
    except ValueError:
        raise Http404("No such page") from None
    count = await Article.objects.acount()
    pages = max(1, math.ceil(count / PER_PAGE))
    if not 1 <= number <= pages:
        raise Http404("No such page")
    articles = Article.objects.order_by("-published", "title")
    start = (number - 1) * PER_PAGE

    return JsonResponse(
        {
            "page": number,
            "pages": pages,
            "count": count,
            "has_next": number < pages,
            "has_previous": number > 1,
            "articles": [
                {"title": article.title, "published": article.published.isoformat()}
                async for article in articles[start : start + PER_PAGE]
            ],
        }
    )
