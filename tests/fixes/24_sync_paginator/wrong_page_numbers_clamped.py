"""Wrong: the AsyncPaginator, awaited, but a page number below one is taken as page one
"to be forgiving": a link to page 0 or -1 shows the first page instead of a 404."""

from django.core.paginator import AsyncPaginator, InvalidPage
from django.http import Http404, JsonResponse

from .models import Article

PER_PAGE = 5


async def news(request):
    paginator = AsyncPaginator(Article.objects.order_by("-published", "title"), PER_PAGE)
    try:
        page = await paginator.apage(max(1, int(request.GET.get("page", 1))))
    except (InvalidPage, ValueError):
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
