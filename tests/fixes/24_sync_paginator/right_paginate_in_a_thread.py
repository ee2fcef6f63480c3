"""Right: keeps the sync Paginator, but builds the whole answer (count, page, rows) in one
sync function that the view awaits through sync_to_async."""

from asgiref.sync import sync_to_async
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, JsonResponse

from .models import Article

PER_PAGE = 5


def news_page(number):
    paginator = Paginator(Article.objects.order_by("-published", "title"), PER_PAGE)
    page = paginator.page(number)
    return {
        "page": page.number,
        "pages": paginator.num_pages,
        "count": paginator.count,
        "has_next": page.has_next(),
        "has_previous": page.has_previous(),
        "articles": [
            {"title": article.title, "published": article.published.isoformat()} for article in page
        ],
    }


async def news(request):
    try:
        body = await sync_to_async(news_page)(request.GET.get("page", 1))
    except InvalidPage:
        raise Http404("No such page") from None
    return JsonResponse(body)
