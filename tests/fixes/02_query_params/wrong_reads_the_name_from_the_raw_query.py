"""Wrong: reads the name from the raw query string with parse_qs but decodes it as Latin-1,
so every accent or other alphabet comes back garbled."""

from urllib.parse import parse_qs

from django.http import JsonResponse


async def welcome(request):
    query = parse_qs(request.META.get("QUERY_STRING", ""), encoding="latin-1")
    name = query.get("name", ["friend"])[-1]
    return JsonResponse({"message": f"Welcome aboard, {name}!"})
