"""Wrong: keeps only letters and spaces in the name "to be safe": quotes, apostrophes, `&`, `<`
and cheers vanish. JSON carries any text, and the name is data, not markup."""

import re

from django.http import JsonResponse


async def welcome(request):
    name = re.sub(r"[^\w\s]", "", request.GET.get("name", "friend"))
    return JsonResponse({"message": f"Welcome aboard, {name}!"})
