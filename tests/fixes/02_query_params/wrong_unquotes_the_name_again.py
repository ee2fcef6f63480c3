"""Wrong: decodes the name a second time, as if Django had not already ("Ada%20Lovelace"
in the link), so a + in a name turns into a space."""

from urllib.parse import unquote_plus

from django.http import JsonResponse


async def welcome(request):
    name = unquote_plus(request.GET.get("name", "friend"))
    return JsonResponse({"message": f"Welcome aboard, {name}!"})
