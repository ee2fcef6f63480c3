"""Wrong: reads the name with a default, and tidies it up with .title(). Names from the list
that were already capitalised pass; `van der Berg`, `McEwan` or `de la Cruz` are greeted
as `Van Der Berg`, `Mcewan`, `De La Cruz`: not as the member wrote them."""

from django.http import JsonResponse


async def welcome(request):
    name = request.GET.get("name")
    name = name.title() if name else "friend"
    return JsonResponse({"message": f"Welcome aboard, {name}!"})
