"""Wrong: splits the raw query string on & and = itself. Links from the newsletter work, but
a name arrives still URL-encoded (`Ada+Lovelace`, `Knots+%26+Bolts`), and an encoded & or =
inside a name is taken apart. request.GET decodes the query string properly."""

from django.http import JsonResponse


async def welcome(request):
    params = {}
    for pair in request.META.get("QUERY_STRING", "").split("&"):
        key, _, value = pair.partition("=")
        params[key] = value
    name = params.get("name", "friend")
    return JsonResponse({"message": f"Welcome aboard, {name}!"})
