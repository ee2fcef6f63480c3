"""POST /orders/<id>/receipt/ queues the send_receipt task from an async view: the task
succeeds (the receipt is emailed and noted), or fails and says so when the mail service
does; it is queued with the order's ID, for orders that exist; queuing it does not hold the
event loop, and the view stays async."""

import asyncio
import json
import logging
import re
import sys
import threading
from contextlib import contextmanager

import pytest
from asgiref.sync import SyncToAsync, sync_to_async
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.tasks import task_backends
from django.tasks.backends.dummy import DummyBackend
from django.tasks.signals import task_finished, task_started
from django.urls import resolve

from dojo.harness.loopwatch import learner_site_at, site_of

from .models import Order
from .tasks import send_receipt

NAMES = ["ada", "kofi", "leila", "mateo", "priya", "sven", "yara", "zofia"]


@pytest.fixture
def mail(upstream):
    """The mail service: records each email it is asked to send, and runs ``on_call`` (if
    the test sets one) while the task waits for it."""
    sent = []

    def send(request):
        if route.on_call is not None:
            route.on_call()
        sent.append(json.loads(request.content))
        return {"message_id": f"msg-{len(sent)}"}

    route = upstream.post("http://mail.example/send", json=send, latency=0.05)
    route.sent = sent
    route.on_call = None
    return route


@pytest.fixture
def order_data(rng):
    def make():
        return {
            "email": f"{rng.choice(NAMES)}{rng.randint(1, 999)}@example.com",
            "total": rng.randint(100, 99_999),
        }

    return make


@pytest.fixture
def tasks_run(caplog):
    """Every task that ran during the test: its result, and whether it ran on an event
    loop's thread."""
    # The test reports a failed task itself; django.tasks' log of it would bury that.
    caplog.set_level(logging.CRITICAL + 1, logger="django.tasks")
    runs = []

    def started(sender, task_result, **kwargs):
        runs.append({"result": task_result, "on_loop": _on_event_loop()})

    def finished(sender, task_result, **kwargs):
        for run in runs:
            if run["result"].id == task_result.id:
                run["result"] = task_result

    task_started.connect(started, weak=False)
    task_finished.connect(finished, weak=False)
    yield runs
    task_started.disconnect(started)
    task_finished.disconnect(finished)


def _on_event_loop():
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


@contextmanager
def queued_for_a_worker():
    """Tasks are only recorded, as a real queue would hold them until a worker runs them."""
    backend = DummyBackend("default", {})
    task_backends["default"] = backend
    try:
        yield backend
    finally:
        del task_backends["default"]


def describe_failure(run):
    """The task's error, and the line of the kata that raised it."""
    error = run["result"].errors[0]
    last_line = error.traceback.strip().splitlines()[-1]
    frames = re.findall(
        r'File "[^"]*?/((?:katas|solutions)/[^"]+)", line (\d+).*\n\s+(.+)', error.traceback
    )
    where = (
        f"\nIt was raised at {frames[-1][0]}:{frames[-1][1]}\n    {frames[-1][2]}" if frames else ""
    )
    thread = (
        "\nThe task ran inside the view's call, on the event loop's thread."
        if run["on_loop"]
        else ""
    )
    return f"{last_line}{where}{thread}"


async def test_the_receipt_is_sent_and_noted(app, database, mail, order_data, tasks_run):
    order = await Order.objects.acreate(**order_data())
    path = f"/orders/{order.pk}/receipt/"
    response = await app.post(path)
    response.assert_status(202, "Accepted: the receipt is on its way")
    failed = [run for run in tasks_run if run["result"].errors]
    if failed:
        pytest.fail(
            f"POST {path} answered 202 {response.text}, but the send_receipt task failed:\n"
            f"{describe_failure(failed[0])}\n"
            "Expected the task to succeed: the receipt emailed, and the order marked as sent.",
            pytrace=False,
        )
    expected_mail = {
        "to": order.email,
        "subject": f"Your receipt for order {order.pk}",
        "total": order.total,
    }
    assert mail.sent == [expected_mail], (
        f"POST {path}: the mail service was asked to send {mail.sent!r}.\n"
        f"Expected exactly one email: {expected_mail!r}"
    )
    await order.arefresh_from_db()
    assert order.receipt_sent, (
        f"POST {path}: the receipt was emailed, but order {order.pk} is not marked as receipt_sent."
    )
    body = response.json()
    assert body.get("order") == order.pk and body.get("status") == "SUCCESSFUL", (
        f"POST {path} answered {body!r}.\nExpected the order's id and the task's status "
        "(SUCCESSFUL: this project's backend runs tasks at once)."
    )


async def test_queuing_leaves_the_event_loop_free(burst, database, mail, order_data, tasks_run):
    order = await Order.objects.acreate(**order_data())
    # Long enough that receipts sent together overlap, whatever the threads' start-up time.
    mail.latency = 0.2
    report = await burst(f"/orders/{order.pk}/receipt/", n=3, method="POST")
    report.assert_all_status(202, "Accepted: the receipt is on its way")
    database.assert_no_query_on_loop()
    report.assert_loop_not_blocked()
    failed = [run for run in tasks_run if run["result"].errors]
    if failed:
        pytest.fail(
            f"Three requests at once all answered 202, but {len(failed)} of their "
            f"send_receipt tasks failed:\n{describe_failure(failed[0])}",
            pytrace=False,
        )
    # This project's backend runs each task as it is queued: three requests at once, three
    # receipts on their way at once, unless queuing makes the requests wait for each other.
    mail.upstream.assert_calls_overlapped(2, route=mail)


def test_the_view_stays_async(assert_async_view):
    path = "/orders/1/receipt/"
    assert_async_view(path)
    # Decorators (require_POST, ...) keep what they wrap as __wrapped__: look under them.
    view = resolve(path).func
    for _ in range(20):
        if isinstance(view, SyncToAsync):
            pytest.fail(
                f"{path} is answered by {view.func.__qualname__}(), a plain `def` view wrapped "
                "whole in sync_to_async: Django awaits it, but every line of it runs in a "
                "worker thread, as a sync view would.\n"
                "Expected an `async def` view that awaits the order and the queuing itself: in "
                "this kata the view stays async.",
                pytrace=False,
            )
        view = getattr(view, "__wrapped__", None)
        if view is None:
            return


def request_held_off_the_loop(loop_thread, code_roots):
    """The lines of the kata's code that, in a thread other than the event loop's, hold a
    request in hand: the view's own work running in a worker thread."""
    found = []
    for ident, frame in sys._current_frames().items():
        while ident != loop_thread and frame is not None:
            site = learner_site_at(frame.f_code.co_filename, frame.f_lineno, code_roots)
            if site is not None and any(
                isinstance(value, HttpRequest) for value in frame.f_locals.values()
            ):
                found.append(str(site))
            frame = frame.f_back
    return found


async def test_the_view_does_its_own_work_on_the_event_loop(
    app, database, mail, order_data, tasks_run, monkeypatch
):
    # Only the queuing blocks (it may even run the task): that part, and only that part,
    # belongs in a worker thread. A view that sends the request, or the whole job, to a
    # thread is a sync view in disguise, holding a thread for every request in flight.
    loop_thread = threading.get_ident()
    off_the_loop = []
    make_response = HttpResponseBase.__init__

    def made_where(response, *args, **kwargs):
        if threading.get_ident() != loop_thread:
            off_the_loop.append(
                f"the response, made at {site_of(sys._getframe(1), app.code_roots)}"
            )
        make_response(response, *args, **kwargs)

    def look_at_the_threads():
        # The mail service is answering: the task runs, queued by the view.
        off_the_loop.extend(
            f"the request, in hand at {site}"
            for site in request_held_off_the_loop(loop_thread, app.code_roots)
        )

    monkeypatch.setattr(HttpResponseBase, "__init__", made_where)
    mail.on_call = look_at_the_threads
    order = await Order.objects.acreate(**order_data())
    path = f"/orders/{order.pk}/receipt/"
    response = await app.post(path)
    response.assert_status(202, "Accepted: the receipt is on its way")
    if off_the_loop:
        where = "\n".join(f"  {what}" for what in dict.fromkeys(off_the_loop))
        pytest.fail(
            f"POST {path} answered 202, but the view's own work ran in a worker thread:\n"
            f"{where}\n"
            "An `async def` view that hands its request (or the whole job) to sync_to_async "
            "is a sync view in disguise: a thread held for every request in flight.\n"
            "Expected the view to look the order up and answer on the event loop, leaving "
            "only the queuing to a worker thread.",
            pytrace=False,
        )


async def test_a_receipt_for_an_order_that_does_not_exist_is_a_404(
    app, database, mail, order_data, tasks_run
):
    order = await Order.objects.acreate(**order_data())
    missing = order.pk + 1 + len(order.email)
    path = f"/orders/{missing}/receipt/"
    response = await app.post(path)
    response.assert_status(404, f"Not Found: there is no order {missing}")
    if tasks_run or mail.sent:
        pytest.fail(
            f"POST {path} answered 404, but {len(tasks_run)} task(s) ran and "
            f"{len(mail.sent)} email(s) went out.\nExpected nothing queued for an order that "
            "does not exist.",
            pytrace=False,
        )


async def test_a_receipt_for_an_order_deleted_since_is_a_404(
    app, database, mail, order_data, tasks_run
):
    order = await Order.objects.acreate(**order_data())
    path = f"/orders/{order.pk}/receipt/"
    (await app.post(path)).assert_status(202, "Accepted: the first receipt, order still there")
    # The customer deletes the order; a second receipt is asked for.
    await order.adelete()
    sent_before, runs_before = len(mail.sent), len(tasks_run)
    response = await app.post(path)
    response.assert_status(404, f"Not Found: order {order.pk} was deleted since its first receipt")
    if len(tasks_run) > runs_before or len(mail.sent) > sent_before:
        pytest.fail(
            f"POST {path} answered 404, but a task was queued for the deleted order.\n"
            "Expected nothing queued for an order that no longer exists.",
            pytrace=False,
        )


async def test_a_get_sends_no_receipt(app, database, mail, order_data, tasks_run):
    order = await Order.objects.acreate(**order_data())
    path = f"/orders/{order.pk}/receipt/"
    # A link preview, or a crawler following the URL: it only GETs.
    response = await app.get(path)
    if response.status != 405 or tasks_run or mail.sent:
        pytest.fail(
            f"GET {path} answered {response.status}, and {len(tasks_run)} task(s) ran, "
            f"{len(mail.sent)} email(s) went out.\n"
            "Expected 405 Method Not Allowed and nothing queued: only a POST sends a receipt "
            "(a GET is what link previews and crawlers do on their own).",
            pytrace=False,
        )


async def test_a_post_from_another_site_sends_no_receipt(
    app, database, mail, order_data, tasks_run
):
    order = await Order.objects.acreate(**order_data())
    path = f"/orders/{order.pk}/receipt/"
    # A page on another site makes a visitor's browser POST here: it cannot send the CSRF
    # token that the shop's own pages send.
    response = await app.post(path, browser=False)
    if response.status != 403 or tasks_run or mail.sent:
        pytest.fail(
            f"POST {path} with no CSRF token (what a page on another site makes a visitor's "
            f"browser send) answered {response.status}, and {len(tasks_run)} task(s) ran, "
            f"{len(mail.sent)} email(s) went out.\n"
            "Expected 403 Forbidden from Django's CSRF protection, and nothing queued: only "
            "the shop's own pages may have a receipt sent, so the view stays under CSRF "
            "protection (no csrf_exempt).",
            pytrace=False,
        )


async def test_a_failing_mail_service_fails_the_task_and_says_so(
    app, database, mail, order_data, tasks_run, upstream_failure
):
    order = await Order.objects.acreate(**order_data())
    mail.breaks(upstream_failure)
    path = f"/orders/{order.pk}/receipt/"
    response = await app.post(path)
    response.assert_status(202, "Accepted: the task was queued (and ran, with this backend)")
    if mail.call_count != 1:
        failed = [run for run in tasks_run if run["result"].errors]
        why = f"\nThe task failed before:\n{describe_failure(failed[0])}" if failed else ""
        pytest.fail(
            f"POST {path}: the task asked the mail service {mail.call_count} times; expected "
            f"once (the mail service {upstream_failure}).{why}",
            pytrace=False,
        )
    body = response.json()
    if body.get("status") != "FAILED":
        pytest.fail(
            f"The mail service {upstream_failure}, so the send_receipt task failed, but POST "
            f"{path} answered {body!r}.\nExpected the task's real status, FAILED: the answer "
            "must not claim that a receipt went out.",
            pytrace=False,
        )
    await order.arefresh_from_db()
    if order.receipt_sent:
        pytest.fail(
            f"The mail service {upstream_failure}, yet order {order.pk} is marked receipt_sent.",
            pytrace=False,
        )


async def test_the_worker_reads_the_order_when_it_runs(app, database, mail, order_data):
    order = await Order.objects.acreate(**order_data())
    path = f"/orders/{order.pk}/receipt/"
    with queued_for_a_worker() as queue:
        response = await app.post(path)
    response.assert_status(202, "Accepted: the receipt is on its way")
    assert len(queue.results) == 1 and queue.results[0].task.func is send_receipt.func, (
        f"POST {path} queued {len(queue.results)} tasks "
        f"({[r.task.name for r in queue.results]}).\nExpected it to queue send_receipt once, "
        "for a worker to run later, rather than do the work itself."
    )
    queued = queue.results[0]
    arguments = (queued.args, queued.kwargs)
    ids = (order.pk, str(order.pk))
    assert arguments in [([pk], {}) for pk in ids] + [([], {"order_id": pk}) for pk in ids], (
        f"send_receipt was queued with args={queued.args!r}, kwargs={queued.kwargs!r}.\n"
        f"Expected just the order's ID ({order.pk}): the worker runs the task later, "
        "elsewhere, and reads the order fresh."
    )
    assert not mail.sent, "The receipt was emailed before any worker ran the task."

    # Before the worker gets to it, the customer corrects their email address.
    new_email = order_data()["email"]
    await Order.objects.filter(pk=order.pk).aupdate(email=new_email)
    await sync_to_async(queued.task.call)(*queued.args, **queued.kwargs)
    sent_to = [email["to"] for email in mail.sent]
    assert sent_to == [new_email], (
        f"The worker ran send_receipt and the receipt went to {sent_to!r}.\n"
        f"Expected it to go to the order's address when the worker ran: {new_email!r}."
    )


async def test_an_order_deleted_before_the_worker_runs_gets_no_receipt(
    app, database, mail, order_data
):
    order = await Order.objects.acreate(**order_data())
    path = f"/orders/{order.pk}/receipt/"
    with queued_for_a_worker() as queue:
        response = await app.post(path)
    response.assert_status(202, "Accepted: the receipt is on its way")
    if len(queue.results) != 1:
        pytest.fail(
            f"POST {path} queued {len(queue.results)} tasks; expected send_receipt, once.",
            pytrace=False,
        )
    queued = queue.results[0]
    # Before the worker gets to it, the customer deletes the order.
    await Order.objects.filter(pk=order.pk).adelete()
    await sync_to_async(queued.task.call)(*queued.args, **queued.kwargs)
    if mail.sent:
        pytest.fail(
            f"Order {order.pk} was deleted before the worker ran send_receipt, yet a receipt "
            f"went out: {mail.sent!r}.\nExpected the task to read the order when it runs, and "
            "find nothing to send.",
            pytrace=False,
        )
