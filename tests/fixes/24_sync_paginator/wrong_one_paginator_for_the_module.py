"""Wrong: one AsyncPaginator for the whole module, built at import: it counts the articles
once and keeps that count, so news posted since leaves the pages wrong."""

from django.core.paginator import AsyncPaginator, InvalidPage
from django.http import Http404, JsonResponse

from .models import Article

paginator = AsyncPaginator(Article.objects.order_by("-published", "title"), 5)


async def news(request):
    try:
        page = await paginator.apage(request.GET.get("page", 1))
    except InvalidPage:
        raise Http404("No such page") from None
    articles = [
        {"title": article.title, "published": article.published.isoformat()}
        async for article in page
    ]

    return JsonResponse(
        {
            "page": page.number,
            "pages": await paginator.anum_pages(),
            "count": await paginator.acount(),
            "has_next": await page.ahas_next(),
            "has_previous": await page.ahas_previous(),
            "articles": articles,
        }
    )
