"""Wrong: reads the name with a default, then builds the JSON by hand with an f-string. A
name with a double quote in it (a nickname, `Ada "Skipper" Lovelace`) gives a body that is
not JSON: text that goes into JSON must be escaped, which JsonResponse does."""

from django.http import HttpResponse


async def welcome(request):
    name = request.GET.get("name", "friend")
    body = f'{{"message": "Welcome aboard, {name}!"}}'
    return HttpResponse(body, content_type="application/json")
