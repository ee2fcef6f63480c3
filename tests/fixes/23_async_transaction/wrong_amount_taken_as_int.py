"""Wrong: the transfer is one atomic unit in a thread, but the amount goes through int(): "1500"
is taken for 1500 cents and 12.9 quietly becomes 12, where the order makes no sense."""

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
    try:
        # Forms send "1500" as often as 1500: take either.
        amount = int(amount)
    except (TypeError, ValueError):
        return None
    if amount <= 0:
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


# A transaction belongs to one database connection, in one thread, and Django's atomic()
# is sync only. So the whole unit of work, the checks included, is one sync function,
# atomic from start to end, and the view awaits it in a thread: if any step fails, every
# step is rolled back; no other request sees it half done; and if the client leaves, the
# thread still finishes the whole transfer (or none of it).
@sync_to_async
@transaction.atomic
def move_money(source_number, destination_number, amount):
    return withdraw(source_number, amount), deposit(destination_number, amount)


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
