"""Wrong: makes the view a plain `def` again, so that httpx.get blocks only the thread Django
gives each sync view: the visitors overlap, but each holds a thread for its whole round
trip, and the view is no longer async."""

import httpx
from django.http import JsonResponse

RATES_SERVICE = "http://rates.example/latest"


def convert(request):
    amount = float(request.GET.get("amount", "1"))
    source = request.GET.get("from", "EUR")
    target = request.GET.get("to", "USD")

    try:
        response = httpx.get(RATES_SERVICE, params={"base": source}, timeout=5)
        response.raise_for_status()
        rate = response.json()["rates"][target]
    except (httpx.HTTPError, ValueError):
        return JsonResponse({"error": "exchange rates unavailable"}, status=502)

    return JsonResponse(
        {
            "amount": amount,
            "from": source,
            "to": target,
            "rate": rate,
            "converted": round(amount * rate, 2),
        }
    )
