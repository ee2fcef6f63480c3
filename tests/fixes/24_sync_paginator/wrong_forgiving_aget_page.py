"""Wrong: AsyncPaginator.aget_page() never fails: a page number that is not a number gives
page 1, and one past the end gives the last page. No more 404, so a broken link looks like
a working one."""

from django.core.paginator import AsyncPaginator
from django.http import JsonResponse

from .models import Article

PER_PAGE = 5


async def news(request):
    paginator = AsyncPaginator(Article.objects.order_by("-published", "title"), PER_PAGE)
    page = await paginator.aget_page(request.GET.get("page", 1))

    return JsonResponse(
        {
            "page": page.number,
            "pages": await paginator.anum_pages(),
            "count": await paginator.acount(),
            "has_next": await page.ahas_next(),
            "has_previous": await page.ahas_previous(),
            "articles": [
                {"title": article.title, "published": article.published.isoformat()}
                async for article in page
            ],
        }
    )
