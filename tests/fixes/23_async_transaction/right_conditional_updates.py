"""Right: one atomic block in a thread, made of conditional UPDATEs: the withdrawal only
matches a row that holds the amount, the deposit only an open account; when either matches
nothing, the exception rolls the whole block back. The database checks and writes in one
statement, so no other transfer can slip in between."""

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
    with transaction.atomic():
        source = change(
            source_number,
            -amount,
            balance__gte=amount,
            refused=f"account {source_number} does not hold {amount} cents",
        )
        destination = change(
            destination_number,
            amount,
            closed=False,
            refused=f"account {destination_number} is closed",
        )
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
