import json

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


async def withdraw(number, amount):
    account = await Account.objects.aget(number=number)
    if account.balance < amount:
        raise TransferRefused(f"account {number} does not hold {amount} cents")
    account.balance -= amount
    await account.asave(update_fields=["balance"])
    return account


async def deposit(number, amount):
    account = await Account.objects.aget(number=number)
    if account.closed:
        raise TransferRefused(f"account {number} is closed")
    account.balance += amount
    await account.asave(update_fields=["balance"])
    return account


@require_POST
async def transfer(request):
    order = read_order(request.body)
    if order is None:
        return JsonResponse(
            {"error": "expected from, to and a positive amount in cents"}, status=400
        )
    source_number, destination_number, amount = order
    try:
        # TODO: the withdrawal and the deposit must happen together or not at all.
        async with transaction.atomic():
            source = await withdraw(source_number, amount)
            destination = await deposit(destination_number, amount)
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
