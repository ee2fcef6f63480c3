"""Wrong: HTML-escapes the name "to be safe" before putting it into the JSON. JSON is not
HTML: JsonResponse already escapes what JSON needs, so O'Brien is greeted as O&#x27;Brien."""

from django.http import JsonResponse
from django.utils.html import escape


async def welcome(request):
    name = escape(request.GET.get("name", "friend"))
    return JsonResponse({"message": f"Welcome aboard, {name}!"})
