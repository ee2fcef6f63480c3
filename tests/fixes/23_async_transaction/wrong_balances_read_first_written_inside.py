"""Wrong: reads both accounts with the async ORM and checks them, then writes the new
balances it worked out from that read in one atomic block: a transfer that ran meanwhile
is overwritten (a lost update), so money is made out of thin air."""

import json

from asgiref.sync import sync_to_async
from django.db import transaction
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from .models import Account


def read_order(body):
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


@sync_to_async
@transaction.atomic
def save_both(source, destination):
    source.save(update_fields=["balance"])
    destination.save(update_fields=["balance"])


@require_POST
async def transfer(request):
    order = read_order(request.body)
    if order is None:
        return JsonResponse(
            {"error": "expected from, to and a positive amount in cents"}, status=400
        )
    source_number, destination_number, amount = order
    try:
        source = await Account.objects.aget(number=source_number)
        destination = await Account.objects.aget(number=destination_number)
    except Account.DoesNotExist:
        return JsonResponse({"error": "no such account"}, status=404)
    if source.balance < amount:
        return JsonResponse({"error": f"account {source_number} is short"}, status=409)
    if destination.closed:
        return JsonResponse({"error": f"account {destination_number} is closed"}, status=409)
    source.balance -= amount
    destination.balance += amount
    await save_both(source, destination)
    return JsonResponse(
        {
            "from": {"number": source.number, "balance": source.balance},
            "to": {"number": destination.number, "balance": destination.balance},
        }
    )
