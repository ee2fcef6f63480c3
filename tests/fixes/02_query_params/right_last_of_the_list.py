"""Right: reads every name in the link as a list and greets the last one, as QueryDict.get
does, or a friend when there is none."""

from django.http import JsonResponse


async def welcome(request):
    names = request.GET.getlist("name")
    name = names[-1] if names else "friend"
    return JsonResponse({"message": f"Welcome aboard, {name}!"})
