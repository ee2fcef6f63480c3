"""Wrong: the money moves right (conditional updates, in one transaction), but the answer's
balances are worked out from a read made before the transaction: when two transfers leave one
account at once, both tell their client the balance after their own transfer alone, a balance
the account never had."""

import json

from asgiref.sync import sync_to_async
from django.db import transaction
from django.db.models import F
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


class TransferRefused(Exception):
    pass


def change(number, amount, *, refused, **conditions):
    if not Account.objects.filter(number=number, **conditions).update(
        balance=F("balance") + amount
    ):
        Account.objects.get(number=number)  # DoesNotExist: 404
        raise TransferRefused(refused)
    return Account.objects.get(number=number)


def move_money(source_number, destination_number, amount):
    # Read first, for the 404s and 409s and for the answer's balances.
    source = Account.objects.get(number=source_number)
    destination = Account.objects.get(number=destination_number)
    if source.balance < amount:
        raise TransferRefused(f"account {source_number} does not hold {amount} cents")
    if destination.closed:
        raise TransferRefused(f"account {destination_number} is closed")
    with transaction.atomic():
        change(
            source_number,
            -amount,
            balance__gte=amount,
            refused=f"account {source_number} does not hold {amount} cents",
        )
        change(
            destination_number,
            amount,
            closed=False,
            refused=f"account {destination_number} is closed",
        )
    source.balance -= amount
    destination.balance += amount
    return source, destination


@require_POST
async def transfer(request):
    order = read_order(request.body)
    if order is None:
        return JsonResponse({"error": "expected from, to and a positive amount"}, status=400)
    try:
        source, destination = await sync_to_async(move_money)(*order)
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
