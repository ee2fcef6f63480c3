"""GET /orders/export.csv streams the CSV export: every order, with the first rows reaching
the browser while later pages are still being fetched, and the event loop free meanwhile."""

import csv
import io

import pytest

EXPORT = "/orders/export.csv"
PAGES = 3
PER_PAGE = 3
CUSTOMERS = ["Ada Berg", "Kofi Okafor", "Leila Sato", "Mateo Rossi", "Priya Novak", "Sven Ito"]


@pytest.fixture
def pages(rng):
    """The orders service's pages of orders, different every run."""
    ids = rng.sample(range(10_000, 99_999), PAGES * PER_PAGE)
    orders = [
        {"id": order_id, "customer": rng.choice(CUSTOMERS), "total": rng.randint(100, 99_999)}
        for order_id in ids
    ]
    return [orders[start : start + PER_PAGE] for start in range(0, len(orders), PER_PAGE)]


@pytest.fixture
def orders_service(upstream, pages):
    """One page of orders per call, 0.15 s each, like a paginated API."""

    def page_of_orders(request):
        page = int(request.url.params["page"])
        return {"orders": pages[page - 1], "next_page": page + 1 if page < len(pages) else None}

    return upstream.get("http://orders.example/orders", json=page_of_orders, latency=0.15)


def expected_rows(pages):
    return [["id", "customer", "total"]] + [
        [str(order["id"]), order["customer"], str(order["total"])]
        for page in pages
        for order in page
    ]


async def test_the_export_has_every_order(stream, orders_service, pages):
    report = await stream(EXPORT)
    report.assert_status(200, "the CSV export")
    content_type = report.headers.get("content-type", "")
    assert content_type.startswith("text/csv"), (
        f"GET {EXPORT} answered with Content-Type {content_type!r}; expected text/csv."
    )
    rows = list(csv.reader(io.StringIO(report.text)))
    expected = expected_rows(pages)
    assert rows == expected, (
        f"GET {EXPORT} returned these CSV rows:\n    {rows!r}\n"
        f"Expected the header and the {len(expected) - 1} orders of all {PAGES} pages, "
        f"in order:\n    {expected!r}"
    )


async def test_first_rows_reach_the_browser_before_the_last_page_is_fetched(
    stream, orders_service, pages
):
    report = await stream(EXPORT)
    report.assert_status(200, "the CSV export")
    first_order = f"{pages[0][0]['id']},"
    first_row_at = report.arrival_of(first_order)
    assert first_row_at is not None, report.explain() + "\n" + report.arrivals()
    last_page = orders_service.calls[-1]
    if first_row_at < last_page.start:
        return
    note = report.warnings_note()
    pytest.fail(
        f"The first order (id {pages[0][0]['id']}) reached the browser "
        f"{first_row_at - report.start:.2f} s after the request, but the last page "
        f"was requested at {last_page.start - report.start:.2f} s: nothing left the server "
        "until the whole export had been built.\n"
        "Expected page 1's rows to reach the browser before page "
        f"{PAGES} is even requested.\n\n"
        f"{report.arrivals()}\n\n{orders_service.upstream.timeline()}"
        + (f"\n\n{note}" if note else ""),
        pytrace=False,
    )


async def test_streaming_leaves_the_event_loop_free(stream, orders_service, cheap_http_clients):
    report = await stream(EXPORT)
    report.assert_status(200, "the CSV export")
    report.assert_loop_not_blocked()
