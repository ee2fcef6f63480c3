"""Wrong: no transaction; an asyncio.Lock lets one transfer at a time through (in this
process), the steps are shielded from the client leaving, and a failed deposit is undone by
hand. But the undo is one more write, and when the database is failing it fails too: the
money is gone."""

import asyncio
import json

from django.http import JsonResponse
from django.views.decorators.http import require_POST

from .models import Account

_transfers = asyncio.Lock()


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
    if type(amount) is not int or amount <= 0:
        return None
    return source, destination, amount


async def move_money(source_number, destination_number, amount):
    async with _transfers:
        source = await Account.objects.aget(number=source_number)
        destination = await Account.objects.aget(number=destination_number)
        if source.balance < amount:
            raise TransferRefused(f"account {source_number} does not hold {amount} cents")
        if destination.closed:
            raise TransferRefused(f"account {destination_number} is closed")
        source.balance -= amount
        await source.asave(update_fields=["balance"])
        try:
            destination.balance += amount
            await destination.asave(update_fields=["balance"])
        except Exception:
            source.balance += amount
            await source.asave(update_fields=["balance"])
            raise
        return source, destination


@require_POST
async def transfer(request):
    order = read_order(request.body)
    if order is None:
        return JsonResponse(
            {"error": "expected from, to and a positive amount in cents"}, status=400
        )
    try:
        source, destination = await asyncio.shield(move_money(*order))
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
