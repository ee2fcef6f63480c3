from django.http import JsonResponse


async def welcome(request):
    # TODO: not every link to this page carries a name. What happens then?
    name = request.GET["name"]
    return JsonResponse({"message": f"Welcome aboard, {name}!"})
