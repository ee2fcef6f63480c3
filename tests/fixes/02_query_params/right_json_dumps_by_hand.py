"""Right: reads the name from a plain dict of the query and serialises the greeting with
json.dumps, labelled application/json, which is what JsonResponse does."""

import json

from django.http import HttpResponse


async def welcome(request):
    query = request.GET.dict()
    greeting = {"message": "Welcome aboard, {}!".format(query.get("name", "friend"))}
    return HttpResponse(json.dumps(greeting), content_type="application/json")
