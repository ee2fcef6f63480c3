"""Right: AsyncPaginator for the page, and the page's rows listed by a sync_to_async call."""

from asgiref.sync import sync_to_async
from django.core.paginator import AsyncPaginator, InvalidPage
from django.http import Http404, JsonResponse

from .models import Article


def rows(object_list):
    return [
        {"title": article.title, "published": article.published.isoformat()}
        for article in object_list
    ]


async def news(request):
    paginator = AsyncPaginator(Article.objects.order_by("-published", "title"), 5)
    try:
        page = await paginator.apage(request.GET.get("page", 1))
    except InvalidPage:
        raise Http404("No such page") from None
    articles = await sync_to_async(rows)(page.object_list)

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
