"""Wrong: no transaction; takes the money with a conditional update (so the balance never
goes below zero), and if the deposit fails, or the client leaves, puts the money back by
hand. The balances end right, but while the deposit is under way every other request sees
the money gone: another transfer from the same account is refused for money that was there."""

import json

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


async def move(number, change, *, only_if_open=False, only_if_covered=False):
    accounts = Account.objects.filter(number=number)
    if only_if_open:
        accounts = accounts.filter(closed=False)
    if only_if_covered:
        accounts = accounts.filter(balance__gte=-change)
    if not await accounts.aupdate(balance=F("balance") + change):
        if not await Account.objects.filter(number=number).aexists():
            raise Account.DoesNotExist(number)
        raise TransferRefused(f"account {number} refused the transfer")
    return await Account.objects.aget(number=number)


@require_POST
async def transfer(request):
    order = read_order(request.body)
    if order is None:
        return JsonResponse({"error": "expected from, to and a positive amount"}, status=400)
    source_number, destination_number, amount = order
    try:
        source = await move(source_number, -amount, only_if_covered=True)
        try:
            destination = await move(destination_number, amount, only_if_open=True)
        except BaseException:
            await move(source_number, amount)  # undo the withdrawal
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
