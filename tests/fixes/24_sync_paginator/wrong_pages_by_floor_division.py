"""Wrong: paginates by hand with the async ORM, counting pages as count // 5 + 1: one page
too many when the articles fill whole pages."""

from django.http import Http404, JsonResponse

from .models import Article

PER_PAGE = 5


async def news(request):
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        raise Http404("no") from None
    count = await Article.objects.acount()
    pages = count // PER_PAGE + 1
    if number < 1 or number > pages:
        raise Http404("no")
    start = (number - 1) * PER_PAGE
    rows = [
        a async for a in Article.objects.order_by("-published", "title")[start : start + PER_PAGE]
    ]
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
