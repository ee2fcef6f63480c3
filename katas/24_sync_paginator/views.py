from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, JsonResponse

from .models import Article

PER_PAGE = 5


async def news(request):
    articles = Article.objects.order_by("-published", "title")
    # TODO: which of the lines below ask the database something, and how?
    paginator = Paginator(articles, PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page", 1))
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
