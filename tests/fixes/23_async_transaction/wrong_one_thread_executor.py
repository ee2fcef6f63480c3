"""Wrong (for the house rules): the transfer is right, atomic in one sync function, but it
runs on a module-level executor with one thread. Every transfer of every customer now queues
behind the one before it, and that thread's database connection is never closed."""

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

from django.db import transaction
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from .models import Account

DATABASE_THREAD = ThreadPoolExecutor(max_workers=1)


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


@transaction.atomic
def move_money(source_number, destination_number, amount):
    source = Account.objects.get(number=source_number)
    if source.balance < amount:
        raise TransferRefused(f"account {source_number} does not hold {amount} cents")
    source.balance -= amount
    source.save(update_fields=["balance"])
    destination = Account.objects.get(number=destination_number)
    if destination.closed:
        raise TransferRefused(f"account {destination_number} is closed")
    destination.balance += amount
    destination.save(update_fields=["balance"])
    return source, destination


@require_POST
async def transfer(request):
    order = read_order(request.body)
    if order is None:
        return JsonResponse({"error": "expected from, to and a positive amount"}, status=400)
    loop = asyncio.get_running_loop()
    try:
        source, destination = await loop.run_in_executor(DATABASE_THREAD, move_money, *order)
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
