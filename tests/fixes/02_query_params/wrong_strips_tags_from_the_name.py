"""Wrong: reads the name with a default, and strips anything that looks like HTML from it "for
safety". The answer is JSON, not HTML: a nickname like `<Skipper>` vanishes, and the member is
greeted by a name they did not write."""

from django.http import JsonResponse
from django.utils.html import strip_tags


async def welcome(request):
    name = strip_tags(request.GET.get("name", "friend"))
    return JsonResponse({"message": f"Welcome aboard, {name}!"})
