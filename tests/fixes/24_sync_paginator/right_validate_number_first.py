"""Right: the AsyncPaginator, with the number checked by avalidate_number() before apage(),
and has_next / has_previous worked out from the number and the pages."""

from django.core.paginator import AsyncPaginator, InvalidPage
from django.http import Http404, JsonResponse

from .models import Article

PER_PAGE = 5


async def news(request):
    paginator = AsyncPaginator(
        Article.objects.order_by("-published", "title"),
        per_page=PER_PAGE,
        allow_empty_first_page=True,
    )
    try:
        number = await paginator.avalidate_number(request.GET.get("page") or 1)
    except InvalidPage as e:
        raise Http404(str(e)) from None
    page = await paginator.apage(number)
    rows = [a async for a in page]
    count = await paginator.acount()
    pages = await paginator.anum_pages()
    return JsonResponse(
        {
            "page": number,
            "pages": pages,
            "count": count,
            "has_next": number < pages,
            "has_previous": number > 1,
            "articles": [{"title": a.title, "published": a.published.isoformat()} for a in rows],
        }
    )
