"""Paywise's webhook on a site with Django's CSRF protection on: a delivery signed with the
shared secret is taken and its order shipped; a delivery Paywise did not sign is refused and
nothing is shipped; a shipment that fails asks Paywise to deliver again; the view stays
async."""

import hashlib
import hmac
import json

import pytest
from django.conf import settings

WEBHOOK = "/webhooks/payments/"
SHIPMENTS_URL = "http://warehouse.example/shipments"
REFUSALS = (400, 403)
DELIVER_AGAIN = (502, 503, 504)
# One of the addresses Paywise's documentation says its deliveries come from.
PAYWISE_ADDRESS = "203.0.113.54"
FORGERIES = [
    "another_secret",
    "no_signature",
    "changed_after_signing",
    "truncated_signature",
    "empty_signature",
    "garbled_signature",
    "from_paywise_address",
    "unsigned_and_not_json",
]
# What a warehouse answers when it will not book a shipment: a conflict, a bad request, a
# rate limit. Not a shipment either.
REFUSED_BOOKINGS = [400, 409, 422, 429]


def a_payment(rng):
    """A payment.succeeded event, as Paywise sends it."""
    return {
        "id": f"evt_{rng.randbytes(8).hex()}",
        "type": "payment.succeeded",
        "order": f"ORD-{rng.randint(10_000, 99_999)}",
        "amount": rng.randint(100, 99_999),
        "currency": rng.choice(["EUR", "GBP", "SEK", "PLN"]),
    }


def paywise_json(event, rng):
    """The event as Paywise writes it: indented, its fields in its own order, a newline at the
    end. What it signs is these bytes, not the JSON they stand for."""
    fields = list(event.items())
    rng.shuffle(fields)
    return (json.dumps(dict(fields), indent=rng.randint(1, 4)) + "\n").encode()


def signature(body, secret=None):
    """The X-Signature header Paywise sends with ``body``."""
    key = (secret or settings.PAYMENTS_WEBHOOK_SECRET).encode()
    return "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()


def delivery(event, rng):
    """A delivery of ``event``: its body and headers, signed as Paywise signs them."""
    body = paywise_json(event, rng)
    headers = {
        "content-type": "application/json",
        "user-agent": "Paywise-Webhooks/2.4",
        "x-signature": signature(body),
    }
    return body, headers


def forged(event, rng, how):
    """A delivery Paywise did not send: signed with a guessed secret, not signed, changed on
    the way, with part of a signature or none, sent with headers claiming to come through
    Paywise's address, or a probe that is not even JSON."""
    body, headers = delivery(event, rng)
    if how == "another_secret":
        headers["x-signature"] = signature(body, secret="whsec_a-guess-by-someone-else")
    elif how == "no_signature":
        del headers["x-signature"]
    elif how == "changed_after_signing":
        body = paywise_json({**event, "order": f"ORD-{rng.randint(100_000, 999_999)}"}, rng)
    elif how == "truncated_signature":
        headers["x-signature"] = headers["x-signature"][: len("sha256=") + 12]
    elif how == "empty_signature":
        headers["x-signature"] = "sha256="
    elif how == "garbled_signature":
        headers["x-signature"] = "sha256=" + "not-hexadecimal!" * 4
    elif how == "unsigned_and_not_json":
        # A scanner's probe: form fields, no signature.
        del headers["x-signature"]
        body = f"order={event['order']}&status=paid".encode()
        headers["content-type"] = "application/x-www-form-urlencoded"
    else:  # from_paywise_address: anyone can write these headers
        del headers["x-signature"]
        headers |= {
            "x-forwarded-for": PAYWISE_ADDRESS,
            "x-real-ip": PAYWISE_ADDRESS,
            "forwarded": f"for={PAYWISE_ADDRESS};proto=https",
            "x-forwarded-proto": "https",
        }
    return body, headers


def fake_warehouse(upstream, rng):
    """The warehouse service: books a shipment for each order it is sent, and remembers what
    it was sent and the shipment it answered."""
    booked = []

    def book(request):
        shipment = f"SHP-{rng.randint(100_000, 999_999)}"
        booked.append((json.loads(request.read()), shipment))
        return {"shipment": shipment}

    route = upstream.post(SHIPMENTS_URL, json=book, latency=rng.uniform(0.01, 0.04))
    return route, booked


async def deliver(app, body, headers):
    """POST a delivery as Paywise's servers do: not from a page of the site, so with no CSRF
    cookie and no token."""
    return await app.post(WEBHOOK, data=body, headers=headers, browser=False)


def fail_if_refused_by_csrf(response):
    __tracebackhide__ = True
    if response.status == 403 and "CSRF" in response.text:
        pytest.fail(
            f"{response.request_line}, a delivery signed by Paywise, was refused by Django's "
            "CSRF protection (403 'CSRF verification failed'): Paywise's servers post the "
            "event without a page of the site, so with no CSRF cookie and no token.\n"
            "Expected the webhook's view to be exempt from CSRF checks: the signature is what "
            "proves who sent the delivery.",
            pytrace=False,
        )


async def test_a_signed_payment_is_taken_and_its_order_shipped(app, upstream, rng):
    _, booked = fake_warehouse(upstream, rng)
    # Each delivery laid out in its own way, as Paywise writes them.
    for count in range(1, 4):
        event = a_payment(rng)
        body, headers = delivery(event, rng)
        response = await deliver(app, body, headers)
        fail_if_refused_by_csrf(response)
        if response.status == 403:
            pytest.fail(
                f"{response.request_line}, signed by Paywise, was refused (403).\n"
                f"Paywise signed these bytes, exactly as sent: {body!r}\n"
                f"with X-Signature: {headers['x-signature']}\n"
                "Expected 200: the signature is the HMAC-SHA256, under "
                "settings.PAYMENTS_WEBHOOK_SECRET, of request.body as it came, byte for byte.",
                pytrace=False,
            )
        response.assert_status(200, "the delivery taken")
        wanted = {"order": event["order"], "payment": event["id"]}
        if len(booked) != count or booked[-1][0] != wanted:
            pytest.fail(
                f"{response.request_line} answered 200 for the payment of {event['order']}, "
                f"and the warehouse was sent: {[sent for sent, _ in booked]!r}\n"
                f"Expected one shipment more, of {wanted!r}.",
                pytrace=False,
            )
        response.assert_json(
            {"received": event["id"], "shipment": booked[-1][1]}, "the event's id and its shipment"
        )


@pytest.mark.parametrize("how", FORGERIES)
async def test_a_delivery_paywise_did_not_sign_is_refused(app, upstream, rng, how):
    route, booked = fake_warehouse(upstream, rng)
    body, headers = forged(a_payment(rng), rng, how)
    response = await deliver(app, body, headers)
    if response.status not in REFUSALS or route.call_count:
        sent = [order for order, _ in booked]
        shipped = f"\nThe warehouse was sent: {sent!r}" if route.call_count else ""
        pytest.fail(
            f"{response.request_line}: a delivery {how.replace('_', ' ')}, which Paywise did "
            f"not sign.\n{response.explain()}{shipped}\n"
            "Expected 403 Forbidden (or 400) and nothing shipped: check the signature of the "
            "bytes received before anything else reads them or acts on them.",
            pytrace=False,
        )


async def test_a_failed_shipment_asks_paywise_to_deliver_again(
    app, upstream, rng, upstream_failure
):
    route, _ = fake_warehouse(upstream, rng)
    route.breaks(upstream_failure)
    body, headers = delivery(a_payment(rng), rng)
    response = await deliver(app, body, headers)
    fail_if_refused_by_csrf(response)
    if response.status not in DELIVER_AGAIN:
        pytest.fail(
            f"The warehouse {upstream_failure}.\n{response.explain()}\n"
            "Expected 503 (502 or 504 would do): an answer that makes Paywise deliver the "
            "event again later, never a 200 for an order that was not shipped, nor a 500.",
            pytrace=False,
        )


@pytest.mark.parametrize("status", REFUSED_BOOKINGS)
async def test_a_booking_the_warehouse_refuses_asks_paywise_to_deliver_again(
    app, upstream, rng, status
):
    route, _ = fake_warehouse(upstream, rng)
    route.fails(status)
    body, headers = delivery(a_payment(rng), rng)
    response = await deliver(app, body, headers)
    fail_if_refused_by_csrf(response)
    if response.status not in DELIVER_AGAIN:
        pytest.fail(
            f"The warehouse refused to book the shipment: it answered {status} with "
            f"{{'error': ...}} and no shipment.\n{response.explain()}\n"
            "Expected 503 (502 or 504 would do): a 4xx from the warehouse is a failure too, "
            "and only an answer that is not a 2xx makes Paywise deliver the event again.",
            pytrace=False,
        )


async def test_the_view_stays_async(assert_async_view):
    assert_async_view(WEBHOOK)
