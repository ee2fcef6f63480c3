from django.http import JsonResponse


async def welcome(request):
    # request.GET["name"] raises when the link has no ?name=, and that becomes a 500.
    # .get() with a default handles the missing parameter as an ordinary case.
    name = request.GET.get("name", "friend")
    return JsonResponse({"message": f"Welcome aboard, {name}!"})
