"""Right: AsyncPaginator over values(), with has_next and has_previous worked out from the page
number and the page count instead of awaited from the page."""

from django.core.paginator import AsyncPaginator, InvalidPage
from django.http import Http404, JsonResponse

from .models import Article

PER_PAGE = 5


async def news(request):
    paginator = AsyncPaginator(
        Article.objects.order_by("-published", "title").values("title", "published"), PER_PAGE
    )
    try:
        page = await paginator.apage(request.GET.get("page", 1))
    except InvalidPage:
        raise Http404("No such page") from None
    pages = await paginator.anum_pages()
    # Whether there is a page before or after is plain arithmetic on the page numbers.
    return JsonResponse(
        {
            "page": page.number,
            "pages": pages,
            "count": await paginator.acount(),
            "has_next": page.number < pages,
            "has_previous": page.number > 1,
            "articles": [
                {"title": row["title"], "published": row["published"].isoformat()}
                async for row in page
            ],
        }
    )
