"""Wrong: the AsyncPaginator, awaited, but over news ordered by date only; articles of the
same day come in whatever order the database finds them, so a page's order (and which
article lands on which page) is left to chance."""

from django.core.paginator import AsyncPaginator, InvalidPage
from django.http import Http404, JsonResponse

from .models import Article

PER_PAGE = 5


async def news(request):
    paginator = AsyncPaginator(Article.objects.order_by("-published"), PER_PAGE)
    try:
        page = await paginator.apage(request.GET.get("page", 1))
    except InvalidPage:
        raise Http404("No such page") from None

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
