import httpx
from django.http import JsonResponse

RATES_SERVICE = "http://rates.example/latest"


async def convert(request):
    amount = float(request.GET.get("amount", "1"))
    source = request.GET.get("from", "EUR")
    target = request.GET.get("to", "USD")

    try:
        # TODO: this line waits for the network. What do the other visitors do meanwhile?
        response = httpx.get(RATES_SERVICE, params={"base": source}, timeout=5)
        response.raise_for_status()
        rate = response.json()["rates"][target]
    except (httpx.HTTPError, ValueError):
        # 502 Bad Gateway: the product page then shows the price in the shop's own currency.
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
