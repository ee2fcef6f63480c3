import json

from asgiref.sync import sync_to_async
from django.db import transaction
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from .models import Account


class TransferRefused(Exception):
    pass


def withdraw(number, amount):
    account = Account.objects.get(number=number)
    if account.balance < amount:
        raise TransferRefused(f"account {number} does not hold {amount} cents")
    account.balance -= amount
    account.save(update_fields=["balance"])
    return account


def deposit(number, amount):
    account = Account.objects.get(number=number)
    if account.closed:
        raise TransferRefused(f"account {number} is closed")
    account.balance += amount
    account.save(update_fields=["balance"])
    return account


# A transaction belongs to one database connection, in one thread, and Django's atomic()
# is sync only. So the whole unit of work is one sync function, atomic from start to end,
# and the view awaits it in a thread: if any step fails, every step is rolled back.
@sync_to_async
@transaction.atomic
def move_money(source_number, destination_number, amount):
    return withdraw(source_number, amount), deposit(destination_number, amount)


@require_POST
async def transfer(request):
    order = json.loads(request.body)
    try:
        source, destination = await move_money(order["from"], order["to"], order["amount"])
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
