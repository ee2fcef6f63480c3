r"""Wrong: reads the name with a default, builds the JSON with an f-string, and escapes the
double quotes by hand. A name with a backslash (a nickname like `\o/`) or a line break still
gives a body that is not JSON, and a crafted name can slip keys of its own into it:
json.dumps and JsonResponse escape everything JSON needs."""

from django.http import HttpResponse


async def welcome(request):
    name = request.GET.get("name", "friend").replace('"', '\\"')
    body = f'{{"message": "Welcome aboard, {name}!"}}'
    return HttpResponse(body, content_type="application/json")
