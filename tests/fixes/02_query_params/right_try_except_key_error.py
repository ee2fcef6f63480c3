"""Right: reads the name and treats a missing one as an ordinary case by catching the
KeyError (MultiValueDictKeyError is one) and greeting a friend."""

from django.http import JsonResponse


async def welcome(request):
    try:
        name = request.GET["name"]
    except KeyError:
        name = "friend"
    return JsonResponse({"message": f"Welcome aboard, {name}!"})
