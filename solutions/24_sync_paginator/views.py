from django.core.paginator import AsyncPaginator, InvalidPage
from django.http import Http404, JsonResponse

from .models import Article

PER_PAGE = 5


async def news(request):
    articles = Article.objects.order_by("-published", "title")
    # Paginator counts the rows and fetches the page with sync queries. AsyncPaginator
    # (Django 6.0+) awaits them: apage(), acount(), anum_pages(), ahas_next(), async for.
    paginator = AsyncPaginator(articles, PER_PAGE)
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
