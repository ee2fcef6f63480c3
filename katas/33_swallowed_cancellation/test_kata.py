"""POST /exports/orders/ starts an export and waits for its file; when the client leaves
first, the view stops at once and cancels the export, and a dropped status call is retried."""

import pytest

EXPORTS = "/exports/orders/"
# The reports service holds a status call until the file is ready: this long when the
# client leaves, so a view that does not stop is still busy well after the client has gone.
SLOW_EXPORT = 0.9


@pytest.fixture
def export_id(rng):
    return f"exp-{rng.randint(10_000, 99_999)}"


@pytest.fixture
def reports(upstream, export_id, rng, cheap_http_clients):
    """The reports service: starts an export, answers its status, cancels it."""
    url = f"http://reports.example/exports/{export_id}"
    download = f"https://files.example/{export_id}/orders-{rng.randint(1, 999)}.csv"

    class Reports:
        start = upstream.post(
            "http://reports.example/exports", json={"id": export_id}, latency=0.05
        )
        status = upstream.get(url, json={"id": export_id, "url": download}, latency=0.2)
        cancel = upstream.route("DELETE", url, json={"cancelled": True}, latency=0.05)
        link = download

    return Reports


async def leave_while_waiting(stream, reports):
    """The browser sends the request, then leaves while the view waits for the file."""
    reports.status.latency = SLOW_EXPORT
    return await stream(
        EXPORTS, method="POST", disconnect_when=lambda: reports.status.call_count >= 1
    )


async def test_the_download_link_once_the_export_is_ready(app, reports, export_id):
    response = await app.post(EXPORTS, json={})
    response.assert_json(
        {"export": export_id, "download": reports.link}, "the export's download link"
    )
    assert reports.cancel.call_count == 0, (
        "The export finished and its link was returned, but the view also cancelled it.\n"
        "Expected no DELETE of an export that the client is collecting."
    )


async def test_a_dropped_status_call_is_tried_again(app, reports, export_id):
    reports.status.fails(503, times=1)
    response = await app.post(EXPORTS, json={})
    response.assert_json(
        {"export": export_id, "download": reports.link},
        "the download link, after one more try of the status call that failed",
    )
    assert reports.status.call_count == 2, (
        f"The view called the status endpoint {reports.status.call_count} times; expected 2: "
        "the one that failed with 503 and one more."
    )
    assert reports.cancel.call_count == 0, (
        "One status call failed and the view tried again, as it should, but it also cancelled "
        "the export (DELETE) that the client was still waiting for.\n"
        "Expected the export to be cancelled only when nobody will collect it."
    )


async def test_the_view_stops_when_the_client_leaves(stream, reports):
    report = await leave_while_waiting(stream, reports)
    late = [call for call in reports.status.calls if call.start > report.disconnected_at]
    if late:
        pytest.fail(
            f"The client of POST {EXPORTS} left while the view waited for the export, but the "
            f"view went on: it made {len(late)} more status "
            f"call{'s' if len(late) > 1 else ''} after the client had gone, for an answer "
            "that nobody would read.\n"
            "Expected the view to stop when the client leaves: Django cancels it "
            "(CancelledError at the `await` it is waiting on), and the view must let that "
            f"through.\n\n{report.timeline()}\n\n{reports.status.upstream.timeline()}",
            pytrace=False,
        )
    report.assert_view_stopped()


async def test_the_export_is_cancelled_when_the_client_leaves(stream, reports, export_id):
    report = await leave_while_waiting(stream, reports)
    cancels = [call for call in reports.cancel.calls if call.start >= report.disconnected_at]
    if len(cancels) == 1:
        return
    pytest.fail(
        f"The client of POST {EXPORTS} left while the view waited for export {export_id}; "
        f"the view sent {len(cancels)} DELETE {export_id} calls afterwards.\n"
        "Expected exactly one: nobody will download the file, so the reports service must be "
        f"told to stop working on it.\n\n{reports.status.upstream.timeline()}",
        pytrace=False,
    )
