"""Wrong: drops the transaction and checks both accounts before writing; the refusals it
foresees work, but a failure it cannot foresee (the database, mid-transfer) loses money."""

import json

from django.http import JsonResponse
from django.views.decorators.http import require_POST

from .models import Account


def read_order(body):
    """The order's two account numbers and its amount in cents, or None if it makes no sense."""
    try:
        order = json.loads(body)
        source, destination, amount = order["from"], order["to"], order["amount"]
    except (ValueError, TypeError, KeyError):
        return None
    if not isinstance(source, str) or not isinstance(destination, str) or source == destination:
        return None
    if type(amount) is not int or amount <= 0:
        return None
    return source, destination, amount


@require_POST
async def transfer(request):
    order = read_order(request.body)
    if order is None:
        return JsonResponse({"error": "expected from, to and a positive amount"}, status=400)
    source_number, destination_number, amount = order
    try:
        source = await Account.objects.aget(number=source_number)
        destination = await Account.objects.aget(number=destination_number)
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
