import httpx
from django.core.cache import cache
from django.http import JsonResponse

BANK_RATES = "http://fx.example/latest"
# The bank publishes new rates every minute: keep them that long.
RATES_TTL = 60


async def fetch_rates(base):
    """Today's exchange rates for ``base``, from the bank (which bills us per call)."""
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.get(BANK_RATES, params={"base": base})
    response.raise_for_status()
    return response.json()["rates"]


async def latest_rates(base):
    """The rates for ``base``: from the cache when they are there, else from the bank."""
    key = f"fx-rates:{base}"
    rates = await cache.aget(key)
    if rates is None:
        # TODO: ten requests arrive together and all find the cache empty. What does each
        # of them do next?
        rates = await fetch_rates(base)
        await cache.aset(key, rates, RATES_TTL)
    return rates


async def rates(request):
    base = request.GET.get("base", "EUR")
    try:
        rates = await latest_rates(base)
    except (httpx.HTTPError, ValueError):
        # No rates from the bank: say so, rather than show made-up ones.
        return JsonResponse({"base": base, "error": "the bank's rates are unavailable"}, status=502)
    return JsonResponse({"base": base, "rates": rates})
