"""Wrong: each step is atomic in its own thread, the deposit first, then the withdrawal;
if the withdrawal is refused or fails, a third transaction takes the deposit back. The
balances end right, but meanwhile the deposit is real: another transfer can spend money
that the destination never keeps."""

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


@sync_to_async
@transaction.atomic
def deposit(number, amount):
    account = Account.objects.get(number=number)
    if account.closed:
        raise TransferRefused(f"account {number} is closed")
    Account.objects.filter(pk=account.pk).update(balance=F("balance") + amount)
    account.refresh_from_db()
    return account


@sync_to_async
@transaction.atomic
def withdraw(number, amount):
    account = Account.objects.get(number=number)
    if account.balance < amount:
        raise TransferRefused(f"account {number} does not hold {amount} cents")
    Account.objects.filter(pk=account.pk).update(balance=F("balance") - amount)
    account.refresh_from_db()
    return account


@sync_to_async
@transaction.atomic
def take_back(number, amount):
    Account.objects.filter(number=number).update(balance=F("balance") - amount)


@require_POST
async def transfer(request):
    order = read_order(request.body)
    if order is None:
        return JsonResponse({"error": "expected from, to and a positive amount"}, status=400)
    source_number, destination_number, amount = order
    try:
        destination = await deposit(destination_number, amount)
        try:
            source = await withdraw(source_number, amount)
        except BaseException:
            await take_back(destination_number, amount)
            raise
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
