"""POST /exports/orders/ starts an export and waits for its file; a dropped status call is
tried again, a reports service that keeps failing is a 502 and the export is cancelled, and
when the client leaves first, the view stops at once and cancels the export."""

import asyncio

import pytest

from dojo.harness.failures import FAILURES

EXPORTS = "/exports/orders/"
# The reports service holds a status call until the file is ready: this long when the
# client leaves, so a view that does not stop is still busy well after the client has gone.
SLOW_EXPORT = 0.9
# A view that keeps the client waiting this long, when every status call fails fast, is
# retrying without end.
GIVE_UP_WITHIN = 3.0
# "A few tries": more status calls than this for one export is hammering a service that is
# down (a retry loop bounded by time, with no pause, makes dozens).
FEW_TRIES = 10
# The ways a single status call gets dropped, and is worth trying again: every failure of
# the catalogue but a body that is not JSON (which a retry may or may not cover).
DROPPED_CALLS = [failure for failure in FAILURES if failure.name != "malformed_json"]


@pytest.fixture
def export_id(rng):
    return f"exp-{rng.randint(10_000, 99_999)}"


@pytest.fixture
def reports(upstream, export_id, rng):
    """The reports service: starts an export, answers its status, cancels it."""
    url = f"http://reports.example/exports/{export_id}"
    download = f"https://files.example/{export_id}/orders-{rng.randint(1, 999)}.csv"

    class Reports:
        start = upstream.post(
            "http://reports.example/exports", json={"id": export_id}, latency=0.02
        )
        status = upstream.get(url, json={"id": export_id, "url": download}, latency=0.02)
        cancel = upstream.route("DELETE", url, json={"cancelled": True}, latency=0.02)
        link = download

    return Reports


async def leave_while_waiting(stream, reports):
    """The browser sends the request, then leaves while the view waits for the file."""
    reports.status.latency = SLOW_EXPORT
    return await stream(
        EXPORTS, method="POST", disconnect_when=lambda: reports.status.call_count >= 1
    )


def expect_no_cancel(reports, what):
    __tracebackhide__ = True
    if reports.cancel.call_count:
        pytest.fail(
            f"{what}, but the view also cancelled the export (DELETE) that the client was "
            "collecting.\nExpected the export to be cancelled only when nobody will collect "
            f"it.\n\n{reports.status.upstream.timeline()}",
            pytrace=False,
        )


def expect_cancelled_on_the_way_out(reports, left_at, what):
    """The view itself waited for its DELETE: done before the view was, not handed to
    something that goes on after it (a task nobody waits for)."""
    __tracebackhide__ = True
    late = [call for call in reports.cancel.calls if call.end is None or call.end > left_at]
    if late:
        pytest.fail(
            f"The view {what}, and only then did its DELETE {late[0].url} finish: the "
            "export was cancelled by something left running behind the view, which nobody "
            "waits for and whose failure nobody would see.\n"
            "Expected the view to cancel the export on its way out: await the DELETE before "
            f"letting the error go on.\n\n{reports.status.upstream.timeline()}",
            pytrace=False,
        )


async def test_the_download_link_once_the_export_is_ready(app, reports, export_id):
    response = await app.post(EXPORTS, json={})
    response.assert_json(
        {"export": export_id, "download": reports.link}, "the export's download link"
    )
    expect_no_cancel(reports, "The export finished and its link was returned")


@pytest.mark.parametrize("dropped_call", DROPPED_CALLS, ids=[f.name for f in DROPPED_CALLS])
async def test_a_dropped_status_call_is_tried_again(app, reports, export_id, dropped_call):
    reports.status.breaks(dropped_call, times=1)
    response = await app.post(EXPORTS, json={})
    response.assert_json(
        {"export": export_id, "download": reports.link},
        f"the download link, after one more try of the status call that {dropped_call}",
    )
    assert reports.status.call_count == 2, (
        f"The view called the status endpoint {reports.status.call_count} times; expected 2: "
        f"the one that {dropped_call}, and one more."
    )
    expect_no_cancel(reports, f"One status call {dropped_call} and the view tried again")


async def test_a_reports_service_that_keeps_failing_is_a_502_and_the_export_is_cancelled(
    app, reports, export_id, upstream_failure
):
    reports.status.breaks(upstream_failure)
    # Long enough that a DELETE sent by something left behind the view ends after it.
    reports.cancel.latency = 0.5
    try:
        async with asyncio.timeout(GIVE_UP_WITHIN):
            response = await app.post(EXPORTS, json={})
    except TimeoutError:
        pytest.fail(
            f"Every status call of export {export_id} failed (the reports service "
            f"{upstream_failure}), and after {GIVE_UP_WITHIN:g} s and "
            f"{reports.status.call_count} status calls POST {EXPORTS} was still trying.\n"
            "Expected the view to give up after a few tries.",
            pytrace=False,
        )
    if reports.status.call_count > FEW_TRIES:
        pytest.fail(
            f"Every status call of export {export_id} failed (the reports service "
            f"{upstream_failure}), and the view asked for its status "
            f"{reports.status.call_count} times before it gave up: a service that is down "
            "gets hammered by every export.\n"
            f"Expected the view to give up after a few tries (at most {FEW_TRIES}).",
            pytrace=False,
        )
    if response.status not in (502, 503, 504):
        pytest.fail(
            f"Every status call of export {export_id} failed: the reports service "
            f"{upstream_failure}.\n{response.explain()}\n"
            "Expected 502 Bad Gateway (or 503, 504) once the view gives up: the export "
            "failed upstream, and the answer should say so plainly.",
            pytrace=False,
        )
    if reports.cancel.call_count != 1:
        pytest.fail(
            f"The view gave up on export {export_id} (the reports service {upstream_failure}) "
            f"and answered {response.status}, but sent {reports.cancel.call_count} DELETE "
            f"{export_id} calls.\nExpected exactly one: nobody will collect this export, so "
            "the reports service must be told to stop working on it, whatever stopped the "
            f"view.\n\n{reports.status.upstream.timeline()}",
            pytrace=False,
        )
    expect_cancelled_on_the_way_out(reports, response.end, f"answered {response.status}")


async def test_the_view_stops_when_the_client_leaves(stream, reports):
    report = await leave_while_waiting(stream, reports)
    late = [
        call
        for call in reports.status.upstream.calls
        if call.start > report.disconnected_at and call.route != reports.cancel.name
    ]
    if late:
        pytest.fail(
            f"The client of POST {EXPORTS} left while the view waited for the export, but the "
            f"view went on: it made {len(late)} more call{'s' if len(late) > 1 else ''} "
            f"({late[0].method} {late[0].url}) after the client had gone, for an answer that "
            "nobody would read.\n"
            "Expected the view to stop when the client leaves: Django cancels it "
            "(CancelledError at the `await` it is waiting on), and the view must let that "
            f"through.\n\n{report.timeline()}\n\n{reports.status.upstream.timeline()}",
            pytrace=False,
        )
    if report.sent_after_disconnect:
        pytest.fail(
            f"The client of POST {EXPORTS} left while the view waited for the export, but the "
            "view still sent a response afterwards, to nobody: the cancellation was caught "
            "somewhere, and the view carried on.\n"
            "Expected the view to clean up and let the cancellation through (re-raise it), "
            f"so that it stops.\n\n{report.timeline()}",
            pytrace=False,
        )
    report.assert_view_stopped()
    waiting = [call for call in reports.status.calls if not call.finished]
    if waiting:
        pytest.fail(
            f"The client of POST {EXPORTS} left while the view waited for the export; the "
            f"view stopped, but its status call ({waiting[0].method} {waiting[0].url}) was "
            "still waiting for the reports service afterwards: it was shielded from the "
            "cancellation, or handed to something that outlives the view.\n"
            "Expected the cancellation to reach the call the view was waiting on, so that it "
            f"stops too.\n\n{reports.status.upstream.timeline()}",
            pytrace=False,
        )


async def test_the_export_is_cancelled_when_the_client_leaves(stream, reports, export_id):
    # Long enough that a DELETE sent by something left behind the view ends after it.
    reports.cancel.latency = 0.05
    report = await leave_while_waiting(stream, reports)
    cancels = [call for call in reports.cancel.calls if call.start >= report.disconnected_at]
    if len(cancels) != 1:
        pytest.fail(
            f"The client of POST {EXPORTS} left while the view waited for export {export_id}; "
            f"the view sent {len(cancels)} DELETE {export_id} calls afterwards.\n"
            "Expected exactly one: nobody will download the file, so the reports service must "
            f"be told to stop working on it.\n\n{reports.status.upstream.timeline()}",
            pytrace=False,
        )
    expect_cancelled_on_the_way_out(
        reports, report.finished_at or report.end, "stopped when its client left"
    )
