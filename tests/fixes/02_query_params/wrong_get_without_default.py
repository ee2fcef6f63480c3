"""Wrong: .get() without a default stops the crash, but greets visitors without a name as
"None"."""

from django.http import JsonResponse


async def welcome(request):
    name = request.GET.get("name")
    return JsonResponse({"message": f"Welcome aboard, {name}!"})
