"""Wrong: awaits paginator.page() in a thread, but the page's rows are a lazy queryset;
iterating them in the view still runs a sync query on the event loop."""

from asgiref.sync import sync_to_async
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, JsonResponse

from .models import Article

PER_PAGE = 5


async def news(request):
    articles = Article.objects.order_by("-published", "title")
    paginator = Paginator(articles, PER_PAGE)
    try:
        page = await sync_to_async(paginator.page)(request.GET.get("page", 1))
    except InvalidPage:
        raise Http404("No such page") from None

    return JsonResponse(
        {
            "page": page.number,
            "pages": paginator.num_pages,
            "count": paginator.count,
            "has_next": page.has_next(),
            "has_previous": page.has_previous(),
            "articles": [
                {"title": article.title, "published": article.published.isoformat()}
                for article in page
            ],
        }
    )
