"""Wrong: the AsyncPaginator, awaited, but every page's answer kept in a module-level dict
for ever: news posted since never shows, and the counts never change."""

from django.core.paginator import AsyncPaginator, InvalidPage
from django.http import Http404, JsonResponse

from .models import Article

PER_PAGE = 5

_pages = {}


async def news(request):
    key = request.GET.get("page", "1")
    if key not in _pages:
        paginator = AsyncPaginator(Article.objects.order_by("-published", "title"), PER_PAGE)
        try:
            page = await paginator.apage(key)
        except InvalidPage:
            raise Http404("No such page") from None
        _pages[key] = {
            "page": page.number,
            "pages": await paginator.anum_pages(),
            "count": await paginator.acount(),
            "has_next": await page.ahas_next(),
            "has_previous": await page.ahas_previous(),
            "articles": [
                {"title": a.title, "published": a.published.isoformat()} async for a in page
            ],
        }
    return JsonResponse(_pages[key])
