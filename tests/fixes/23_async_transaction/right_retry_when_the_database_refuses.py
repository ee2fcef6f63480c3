"""Right: the atomic transfer is retried (twice) when the database refuses it: each try is
rolled back whole, so a retry can never apply half a transfer twice."""

import json

from asgiref.sync import sync_to_async
from django.db import DatabaseError, transaction
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


def withdraw(number, amount):
    # select_for_update() locks the row until the transaction ends, so a second transfer
    # from the same account waits instead of checking a balance that is about to change.
    # (SQLite locks the whole database for a write transaction and ignores it.)
    account = Account.objects.select_for_update().get(number=number)
    if account.balance < amount:
        raise TransferRefused(f"account {number} does not hold {amount} cents")
    account.balance -= amount
    account.save(update_fields=["balance"])
    return account


def deposit(number, amount):
    account = Account.objects.select_for_update().get(number=number)
    if account.closed:
        raise TransferRefused(f"account {number} is closed")
    account.balance += amount
    account.save(update_fields=["balance"])
    return account


@transaction.atomic
def move_money_once(source_number, destination_number, amount):
    return withdraw(source_number, amount), deposit(destination_number, amount)


@sync_to_async
def move_money(source_number, destination_number, amount):
    # A transaction that the database refused was rolled back whole: try it again, twice.
    for attempt in range(3):
        try:
            return move_money_once(source_number, destination_number, amount)
        except DatabaseError:
            if attempt == 2:
                raise


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
