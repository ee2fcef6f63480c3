"""Wrong: the AsyncPaginator, awaited, but "newest first" as the latest posted first (-pk),
not by the date of publication: an article posted late about an earlier day jumps ahead."""

from django.core.paginator import AsyncPaginator, InvalidPage
from django.http import Http404, JsonResponse

from .models import Article

PER_PAGE = 5


async def news(request):
    paginator = AsyncPaginator(Article.objects.order_by("-pk"), PER_PAGE)
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
                {"title": a.title, "published": a.published.isoformat()} async for a in page
            ],
        }
    )
