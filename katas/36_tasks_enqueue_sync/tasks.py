"""The shop's background tasks. A worker runs them, later and elsewhere: they take IDs, not
model instances, and read the rows fresh when they run."""

import httpx
from django.tasks import task

from .models import Order

MAIL_SERVICE = "http://mail.example/send"


@task
def send_receipt(order_id):
    """Email the receipt of an order through the mail service, then note that it was sent."""
    order = Order.objects.get(pk=order_id)
    response = httpx.post(
        MAIL_SERVICE,
        json={
            "to": order.email,
            "subject": f"Your receipt for order {order.pk}",
            "total": order.total,
        },
        timeout=10,
    )
    response.raise_for_status()
    order.receipt_sent = True
    order.save(update_fields=["receipt_sent"])
    return response.json()["message_id"]
