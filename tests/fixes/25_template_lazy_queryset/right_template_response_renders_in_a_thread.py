"""Right: answers with a TemplateResponse over the lazy queryset. Django renders a deferred
response itself, after the view, in a thread through sync_to_async: the template's queries
run there, off the loop."""

from django.template.response import TemplateResponse

from .models import Book


async def staff_picks(request):
    picks = Book.objects.filter(staff_pick=True).select_related("author").order_by("title")
    return TemplateResponse(request, "kata25/staff_picks.html", {"picks": picks})
