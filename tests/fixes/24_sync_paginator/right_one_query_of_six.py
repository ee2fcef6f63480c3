"""Right: paginates by hand: acount() for the totals, Django's own rule for a page number
(Paginator.validate_number needs no query), and the page's five rows awaited with
aiterator()."""

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, JsonResponse

from .models import Article

PER_PAGE = 5


async def news(request):
    count = await Article.objects.acount()
    pages = max(1, -(-count // PER_PAGE))
    checker = Paginator(range(count), PER_PAGE)
    try:
        number = checker.validate_number(request.GET.get("page", 1))
    except InvalidPage:
        raise Http404("No such page") from None
    start = (number - 1) * PER_PAGE
    rows = Article.objects.order_by("-published", "title").values("title", "published")

    return JsonResponse(
        {
            "page": number,
            "pages": pages,
            "count": count,
            "has_next": number < pages,
            "has_previous": number > 1,
            "articles": [
                {"title": row["title"], "published": row["published"].isoformat()}
                async for row in rows[start : start + PER_PAGE].aiterator()
            ],
        }
    )
