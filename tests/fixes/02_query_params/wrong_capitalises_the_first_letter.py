"""Wrong: "tidies" a given name by capitalising its first letter. Every name the tests used
to send started with a capital, but `bell hooks` or `danah boyd` chose their lower case."""

from django.http import JsonResponse


async def welcome(request):
    name = request.GET.get("name")
    name = name[:1].upper() + name[1:] if name else "friend"
    return JsonResponse({"message": f"Welcome aboard, {name}!"})
