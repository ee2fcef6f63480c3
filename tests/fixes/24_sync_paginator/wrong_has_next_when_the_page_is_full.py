"""Wrong: the AsyncPaginator, awaited, but has_next worked out as "this page is full": a
full last page offers a next page that is a 404."""

from django.core.paginator import AsyncPaginator, InvalidPage
from django.http import Http404, JsonResponse

from .models import Article

PER_PAGE = 5


async def news(request):
    paginator = AsyncPaginator(Article.objects.order_by("-published", "title"), PER_PAGE)
    try:
        page = await paginator.apage(request.GET.get("page", 1))
    except InvalidPage:
        raise Http404("No such page") from None
    articles = [{"title": a.title, "published": a.published.isoformat()} async for a in page]
    return JsonResponse(
        {
            "page": page.number,
            "pages": await paginator.anum_pages(),
            "count": await paginator.acount(),
            "has_next": len(articles) == PER_PAGE,
            "has_previous": page.number > 1,
            "articles": articles,
        }
    )
