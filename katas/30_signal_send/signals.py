"""What happens when an order is placed: other teams plug in here without touching the view."""

import logging

import httpx
from django.dispatch import Signal, receiver

logger = logging.getLogger("shop.orders")

WAREHOUSE_URL = "http://warehouse.example/reservations"

order_placed = Signal()


class StockNotReserved(Exception):
    """The warehouse did not confirm the reservation."""


@receiver(order_placed)
def audit(sender, order, **kwargs):
    """The finance team's audit trail (sync: it only logs)."""
    logger.info("order %s placed: %d lines", order["id"], len(order["lines"]))


@receiver(order_placed)
async def reserve_stock(sender, order, **kwargs):
    """The warehouse team's receiver: reserve the goods before the customer is told "placed".
    Raises if the warehouse fails, or does not confirm."""
    async with httpx.AsyncClient(timeout=5) as client:
        reply = await client.post(
            WAREHOUSE_URL, json={"order": order["id"], "lines": order["lines"]}
        )
    reply.raise_for_status()
    if reply.json().get("reserved") is not True:
        raise StockNotReserved(order["id"])
