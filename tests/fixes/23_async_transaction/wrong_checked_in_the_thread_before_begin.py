"""Wrong: one thread, one transaction, atomic F() updates; but the balance is checked before\nthe transaction begins, so two transfers at once both pass the check and overdraw it."""

import json

from asgiref.sync import sync_to_async
from django.db import transaction
from django.db.models import F
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from .models import Account


class TransferRefused(Exception):
    pass


def read_order(body):
    """The order's two account numbers and its amount in cents, or None if it makes no sense."""
    try:
        order = json.loads(body)
        source, destination, amount = order["from"], order["to"], order["amount"]
    except (ValueError, TypeError, KeyError):
        return None
    if not isinstance(source, str) or not isinstance(destination, str) or source == destination:
        return None
    # bool is an int too: `"amount": true` is no amount.
    if type(amount) is not int or amount <= 0:
        return None
    return source, destination, amount


@sync_to_async
def move_money(source_number, destination_number, amount):
    source = Account.objects.get(number=source_number)
    destination = Account.objects.get(number=destination_number)
    if source.balance < amount:
        raise TransferRefused(f"account {source_number} does not hold {amount} cents")
    if destination.closed:
        raise TransferRefused(f"account {destination_number} is closed")
    with transaction.atomic():
        Account.objects.filter(pk=source.pk).update(balance=F("balance") - amount)
        Account.objects.filter(pk=destination.pk).update(balance=F("balance") + amount)
        source.refresh_from_db(fields=["balance"])
        destination.refresh_from_db(fields=["balance"])
    return source, destination


@require_POST
async def transfer(request):
    order = read_order(request.body)
    if order is None:
        return JsonResponse(
            {"error": "expected from, to and a positive amount in cents"}, status=400
        )
    try:
        source, destination = await move_money(*order)
    except Account.DoesNotExist:
        return JsonResponse({"error": "no such account"}, status=404)
    except TransferRefused as refusal:
        return JsonResponse({"error": str(refusal)}, status=409)

    return JsonResponse(
        {
            "from": {"number": source.number, "balance": source.balance},
            "to": {"number": destination.number, "balance": destination.balance},
        }
    )
