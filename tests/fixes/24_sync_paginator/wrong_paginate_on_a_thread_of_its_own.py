"""Wrong: the sync Paginator in sync_to_async(thread_sensitive=False): a thread of a shared
pool, not the request's, whose database connection stays open afterwards."""

from asgiref.sync import sync_to_async
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, JsonResponse

from .models import Article


def news_page(number):
    paginator = Paginator(Article.objects.order_by("-published", "title"), 5)
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
        answer = await sync_to_async(news_page, thread_sensitive=False)(request.GET.get("page", 1))
    except InvalidPage:
        raise Http404("No such page") from None
    return JsonResponse(answer)
