"""Wrong: a plain `with transaction.atomic()` around the awaits; entering it opens the
transaction with sync database calls on the event loop, which Django refuses."""

import json

from django.db import transaction
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from .models import Account


class TransferRefused(Exception):
    pass


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
    order = json.loads(request.body)
    try:
        with transaction.atomic():
            source = await withdraw(order["from"], order["amount"])
            destination = await deposit(order["to"], order["amount"])
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
