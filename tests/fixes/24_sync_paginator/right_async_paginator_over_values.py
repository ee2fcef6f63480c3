"""Right: AsyncPaginator over values() rows (plain dicts), with the page validated first by
avalidate_number(); any InvalidPage is a 404."""

from django.core.paginator import AsyncPaginator, InvalidPage
from django.http import Http404, JsonResponse

from .models import Article

PER_PAGE = 5


async def news(request):
    rows = Article.objects.order_by("-published", "title").values("title", "published")
    paginator = AsyncPaginator(rows, PER_PAGE)
    try:
        number = await paginator.avalidate_number(request.GET.get("page", 1))
    except InvalidPage:
        raise Http404("No such page") from None
    page = await paginator.apage(number)
    articles = [
        {"title": row["title"], "published": row["published"].isoformat()} async for row in page
    ]

    return JsonResponse(
        {
            "page": number,
            "pages": await paginator.anum_pages(),
            "count": await paginator.acount(),
            "has_next": await page.ahas_next(),
            "has_previous": await page.ahas_previous(),
            "articles": articles,
        }
    )
