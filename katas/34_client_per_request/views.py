import httpx
from django.http import JsonResponse

WEATHER_SERVICE = "http://weather.example/forecast"


async def forecast(request):
    city = request.GET.get("city", "Oslo")
    # TODO: this line runs for every request. What does it cost, and who closes it?
    client = httpx.AsyncClient(timeout=5)
    try:
        response = await client.get(WEATHER_SERVICE, params={"city": city})
        response.raise_for_status()
        weather = response.json()
    # The weather service failed (an error status, a broken body, a connection that failed):
    # the widget shows "no forecast" rather than a broken page.
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"city": city, "error": "No forecast available."}, status=502)
    return JsonResponse({"city": city, **weather})
