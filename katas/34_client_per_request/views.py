import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"


async def forecast(request):
    city = request.GET.get("city", "Oslo")
    # TODO: this line runs for every request. What does it cost, and who closes it?
    client = httpx.AsyncClient(timeout=5)
    response = await client.get(WEATHER_SERVICE, params={"city": city})
    response.raise_for_status()
    return JsonResponse({"city": city, **response.json()})
