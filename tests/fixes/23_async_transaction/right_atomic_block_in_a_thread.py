"""Right: one sync function holds the whole transfer inside `with transaction.atomic()`,
and the view awaits it through sync_to_async; a failure anywhere rolls back both steps."""

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


def move_money(source_number, destination_number, amount):
    with transaction.atomic():
        source = Account.objects.select_for_update().get(number=source_number)
        destination = Account.objects.select_for_update().get(number=destination_number)
        if source.balance < amount:
            raise TransferRefused(f"account {source_number} does not hold {amount} cents")
        Account.objects.filter(pk=source.pk).update(balance=F("balance") - amount)
        if destination.closed:
            raise TransferRefused(f"account {destination_number} is closed")
        Account.objects.filter(pk=destination.pk).update(balance=F("balance") + amount)
        source.refresh_from_db()
        destination.refresh_from_db()
    return source, destination


@require_POST
async def transfer(request):
    order = read_order(request.body)
    if order is None:
        return JsonResponse({"error": "expected from, to and a positive amount"}, status=400)
    source_number, destination_number, amount = order
    try:
        source, destination = await sync_to_async(move_money)(
            source_number, destination_number, amount
        )
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
