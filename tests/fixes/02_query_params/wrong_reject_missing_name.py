"""Wrong: turns the crash into a polite 400, but visitors without a name still get no
welcome."""

from django.http import JsonResponse


async def welcome(request):
    if "name" not in request.GET:
        return JsonResponse({"error": "name is required"}, status=400)
    name = request.GET["name"]
    return JsonResponse({"message": f"Welcome aboard, {name}!"})
