"""Wrong: no transaction; one sync function in a thread does both steps under a
threading.Lock, so transfers in this process never interleave, and puts the money back by
hand when the deposit fails. But the undo is one more write: if the database is still failing
(or the process dies, or another worker process runs a transfer), the money is gone."""

import json
import threading

from asgiref.sync import sync_to_async
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from .models import Account

ONE_TRANSFER_AT_A_TIME = threading.Lock()


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


def move_money(source_number, destination_number, amount):
    with ONE_TRANSFER_AT_A_TIME:
        source = Account.objects.get(number=source_number)
        if source.balance < amount:
            raise TransferRefused(f"account {source_number} does not hold {amount} cents")
        source.balance -= amount
        source.save(update_fields=["balance"])
        try:
            destination = Account.objects.get(number=destination_number)
            if destination.closed:
                raise TransferRefused(f"account {destination_number} is closed")
            destination.balance += amount
            destination.save(update_fields=["balance"])
        except Exception:
            source.balance += amount  # undo the withdrawal
            source.save(update_fields=["balance"])
            raise
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
