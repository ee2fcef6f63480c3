"""Right: the view stays async and hands its whole body (parsing, the atomic transfer and
the answer) to one sync function in sync_to_async's thread."""

import json

from asgiref.sync import sync_to_async
from django.db import transaction
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


def answer(body):
    """The whole request's work, as sync code: parse, move the money in one transaction,
    and say what happened."""
    order = read_order(body)
    if order is None:
        return JsonResponse(
            {"error": "expected from, to and a positive amount in cents"}, status=400
        )
    source_number, destination_number, amount = order
    try:
        with transaction.atomic():
            source = withdraw(source_number, amount)
            destination = deposit(destination_number, amount)
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


@require_POST
async def transfer(request):
    return await sync_to_async(answer)(request.body)
