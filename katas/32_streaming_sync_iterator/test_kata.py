"""GET /orders/export.csv streams the CSV export: every order, with the first rows reaching
the browser while later pages are still being fetched, the event loop free meanwhile; a
failure of the orders service cuts the download off, and a browser that leaves stops it."""

import asyncio
import csv
import io
import threading
import time

import httpx
import pytest

EXPORT = "/orders/export.csv"
PAGES = 3
CUSTOMERS = [
    "Ada Berg",
    "Kofi Okafor",
    "Zoë Ångström",
    "Nguyễn Văn An",
    'Bikes "R" Us',
    "O'Neil, Sons & Co",
    "Łukasz Wróbel; Kraków",
    "Søren <Sørensen>",
]
# Page 1 comes at once; the next ones are slow, so a browser can leave while one is coming.
SLOW_PAGE = 0.3
# After the browser left, the orders service must stay quiet this long for the test to
# conclude that nothing goes on fetching pages.
QUIET = 0.2


@pytest.fixture
def pages(rng):
    """The orders service's pages of orders, different every run (one to four a page)."""
    sizes = [rng.randint(1, 4) for _ in range(PAGES)]
    ids = rng.sample(range(10_000, 99_999), sum(sizes))
    orders = [
        {"id": order_id, "customer": rng.choice(CUSTOMERS), "total": rng.randint(100, 99_999)}
        for order_id in ids
    ]
    # Every export has a name with a quote and one with a comma in it, somewhere: a CSV
    # written by hand must show what it does with them in every run.
    for order, customer in zip(rng.sample(orders, 2), ['Bikes "R" Us', "O'Neil, Sons & Co"]):
        order["customer"] = customer
    starts = [sum(sizes[:page]) for page in range(PAGES)]
    return [orders[start : start + size] for start, size in zip(starts, sizes, strict=True)]


def page_payload(pages, page):
    """What the orders service answers for ``page`` (counted from 1)."""
    return {"orders": pages[page - 1], "next_page": page + 1 if page < len(pages) else None}


def page_asked(call):
    return int(httpx.URL(call.url).params["page"])


@pytest.fixture
def orders_service(upstream, pages):
    """One page of orders per call, 0.15 s each, like a paginated API."""
    return upstream.get(
        "http://orders.example/orders",
        json=lambda request: page_payload(pages, int(request.url.params["page"])),
        latency=0.15,
    )


def expected_rows(pages):
    return [["id", "customer", "total"]] + [
        [str(order["id"]), order["customer"], str(order["total"])]
        for page in pages
        for order in page
    ]


def order_rows(report):
    """The order rows the browser received (the header line left out)."""
    return list(csv.reader(io.StringIO(report.text)))[1:]


async def until_quiet(route, quiet=QUIET, limit=2.0):
    """Wait until no call to ``route`` has been in flight for ``quiet`` seconds, so that
    anything still fetching pages for the export shows itself meanwhile."""
    deadline = time.perf_counter() + limit
    quiet_since = time.perf_counter()
    while time.perf_counter() < deadline:
        if any(not call.finished for call in route.calls):
            quiet_since = time.perf_counter()
        elif time.perf_counter() - quiet_since >= quiet:
            return
        await asyncio.sleep(0.01)


async def test_the_export_has_every_order(stream, orders_service, pages, rng):
    orders_service.latency = 0.02
    # The same export again once the shop has grown a page: the service's next_page says how
    # many pages there are, never a number the export was written for.
    for grown in (False, True):
        if grown:
            new_ids = rng.sample(range(100_000, 999_999), rng.randint(1, 4))
            pages.append(
                [
                    {
                        "id": order_id,
                        "customer": rng.choice(CUSTOMERS),
                        "total": rng.randint(100, 99_999),
                    }
                    for order_id in new_ids
                ]
            )
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
            f"Expected the header and the {len(expected) - 1} orders of all {len(pages)} "
            f"pages (the orders service's next_page tells when the last one has come), in "
            f"order:\n    {expected!r}"
        )


async def test_an_export_with_no_orders_is_just_the_header(stream, orders_service):
    orders_service.latency = 0.02
    orders_service.returns({"orders": [], "next_page": None})
    report = await stream(EXPORT)
    report.assert_status(200, "the CSV export, with no orders in it")
    rows = list(csv.reader(io.StringIO(report.text)))
    assert rows == [["id", "customer", "total"]], (
        f"The orders service had no orders, and GET {EXPORT} returned these CSV rows:\n"
        f"    {rows!r}\nExpected the header line alone."
    )


async def test_first_rows_reach_the_browser_before_the_last_page_is_fetched(
    stream, orders_service, pages
):
    orders_service.latency = 0.05
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


async def test_streaming_leaves_the_event_loop_free(stream, orders_service):
    report = await stream(EXPORT)
    report.assert_status(200, "the CSV export")
    report.assert_loop_not_blocked()
    # The test runs on the event loop's thread: a page fetched on it held the loop meanwhile.
    on_the_loop = [
        call
        for call in orders_service.calls
        if call.blocking and call.thread == threading.get_ident()
    ]
    if on_the_loop:
        call = on_the_loop[0]
        pytest.fail(
            f"While GET {EXPORT} was streaming, page {page_asked(call)} was fetched with a "
            f"sync HTTP client on the event loop's thread: the loop waited "
            f"{call.end - call.start:.2f} s for the orders service, and every other request "
            f"with it. The call was made at\n  {call.caller}\n"
            "Expected each page to be awaited (httpx.AsyncClient), or fetched in a worker "
            f"thread.\n\n{orders_service.upstream.timeline()}",
            pytrace=False,
        )


async def test_a_failing_orders_service_cuts_the_download_off(
    stream, orders_service, pages, upstream_failure
):
    orders_service.latency = 0.02
    total = sum(len(page) for page in pages)
    # The service fails at once, then after a page has gone out with a page still to come.
    for broken in (1, 2):
        seen = orders_service.call_count
        # Pages before `broken` come back as usual; from `broken` on, the service fails.
        orders_service.breaks(upstream_failure)
        orders_service.then_returns(*(page_payload(pages, page) for page in range(1, broken)))
        report = await stream(EXPORT)
        calls = orders_service.calls[seen:]
        if report.exception is None and report.status < 500:
            pytest.fail(
                f"The orders service {upstream_failure} when asked for page {broken} of "
                f"{PAGES}, but GET {EXPORT} ended as if the export were complete "
                f"({report.outcome()}): the accountant gets a file with "
                f"{len(order_rows(report))} of the {total} orders and no sign that any are "
                "missing.\n"
                "Expected the download to fail visibly: let the error end the response, so "
                "that the connection is cut off before the end of the body and the browser "
                "marks the download as failed (or, before any of it is sent, answer with an "
                f"error status).\n\n{report.arrivals()}\n\n{orders_service.upstream.timeline()}",
                pytrace=False,
            )
        later = sorted({page_asked(call) for call in calls} - set(range(broken + 1)))
        if later:
            pytest.fail(
                f"The orders service {upstream_failure} when asked for page {broken}, and "
                f"the export went on to ask for page {later[0]}, for a file that was already "
                "broken.\nExpected the export to stop at the page that failed.\n\n"
                f"{orders_service.upstream.timeline()}",
                pytrace=False,
            )


async def test_the_export_stops_when_the_browser_leaves(stream, orders_service, pages):
    orders_service.latency = 0.05

    def page_then_slow_down(request):
        orders_service.latency = SLOW_PAGE
        return page_payload(pages, int(request.url.params["page"]))

    orders_service.returns(page_then_slow_down)
    # The accountant closes the tab while page 2 is on its way.
    report = await stream(EXPORT, disconnect_when=lambda: orders_service.call_count >= 2)
    await until_quiet(orders_service)
    if report.disconnected_at is None:
        pytest.fail(
            f"GET {EXPORT} finished before page 2 was even requested ({report.outcome()}); "
            f"expected {PAGES} pages to be fetched one after another.\n\n"
            f"{orders_service.upstream.timeline()}",
            pytrace=False,
        )
    late = [call for call in orders_service.calls if call.start > report.disconnected_at]
    if late:
        pytest.fail(
            f"The browser left GET {EXPORT} while page 2 was on its way, but the export went "
            f"on: page {page_asked(late[0])} was requested from the orders service "
            f"{late[0].start - report.disconnected_at:.2f} s after the browser had gone, for a "
            "file nobody will receive.\n"
            "Expected the export to stop when the browser leaves: Django then stops reading "
            "the response's iterator and cancels what it awaits; nothing may go on fetching "
            f"pages on its own.\n\n{orders_service.upstream.timeline()}",
            pytrace=False,
        )
    if report.sent_after_disconnect:
        pytest.fail(
            f"The browser left GET {EXPORT} while page 2 was on its way, but the view sent "
            f"{report.sent_after_disconnect} more message(s) after it had gone.\n"
            "Expected nothing more to be sent: the view must stop when Django cancels it.\n\n"
            f"{report.timeline()}",
            pytrace=False,
        )
