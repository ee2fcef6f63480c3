"""Wrong: drops the transaction and checks both accounts before writing; the refusals it
foresees work, but a failure it cannot foresee (the database, mid-transfer) loses money."""

import json

from django.http import JsonResponse
from django.views.decorators.http import require_POST

from .models import Account


@require_POST
async def transfer(request):
    order = json.loads(request.body)
    amount = order["amount"]
    try:
        source = await Account.objects.aget(number=order["from"])
        destination = await Account.objects.aget(number=order["to"])
    except Account.DoesNotExist:
        return JsonResponse({"error": "no such account"}, status=404)
    if source.balance < amount:
        return JsonResponse(
            {"error": f"account {source.number} does not hold {amount} cents"}, status=409
        )
    if destination.closed:
        return JsonResponse({"error": f"account {destination.number} is closed"}, status=409)

    source.balance -= amount
    await source.asave(update_fields=["balance"])
    destination.balance += amount
    await destination.asave(update_fields=["balance"])

    return JsonResponse(
        {
            "from": {"number": source.number, "balance": source.balance},
            "to": {"number": destination.number, "balance": destination.balance},
        }
    )
