"""The shop's background tasks. A worker runs them, later and elsewhere: they take IDs, not
model instances, and read the rows fresh when they run."""

import logging

import httpx
from django.tasks import task

from .models import Order

MAIL_SERVICE = "http://mail.example/send"

logger = logging.getLogger(__name__)


@task
def send_receipt(order_id):
    """Email the receipt of an order through the mail service, then note that it was sent."""
    order = Order.objects.filter(pk=order_id).first()
    if order is None:
        # Deleted since the task was queued: there is nobody left to send a receipt to.
        logger.info("order %s is gone: no receipt to send", order_id)
        return None
    response = httpx.post(
        MAIL_SERVICE,
        json={
            "to": order.email,
            "subject": f"Your receipt for order {order.pk}",
            "total": order.total,
        },
        timeout=10,
    )
    # A failing mail service (an error status, or an answer that is not its JSON) fails the
    # task and leaves the order unmarked, so that the queue can report it and try again.
    response.raise_for_status()
    message_id = response.json()["message_id"]
    order.receipt_sent = True
    order.save(update_fields=["receipt_sent"])
    return message_id
