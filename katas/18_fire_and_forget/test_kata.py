"""Sign-up: the account is confirmed at once (or refused with a 502 when the account service
is broken), the welcome email is sent in the background, a failed email is logged by the
app, and nothing is left pending or held for ever, whether the email went out or failed."""

import asyncio
import json
import logging
import sys
from collections import deque
from pathlib import Path
from types import FunctionType, ModuleType

import pytest

NAMES = ["Ana", "Bo", "Chen", "Dara", "Emil", "Farah", "Zoë", "Seán", "O'Neil", "Łucja"]
# The services' speeds differ from test to test.
ACCOUNTS_LATENCY = (0.03, 0.08)
MAIL_LATENCY = (0.1, 0.2)
# How far from the view's module-level names a task may be held: in a set, on a helper
# object, in a closure.
HOLD_DEPTH = 5


def newcomer_from(rng):
    name = rng.choice(NAMES)
    handle = "".join(c for c in name.lower() if c.isascii() and c.isalpha())
    return {"email": f"{handle}.{rng.randint(100, 999)}@example.org", "name": name}


@pytest.fixture
def newcomer(rng):
    return newcomer_from(rng)


@pytest.fixture
def created_accounts():
    """The accounts the account service created, as it answered them."""
    return []


@pytest.fixture
def accounts(upstream, rng, created_accounts):
    """The account service: creates the account (0.1 s) and answers with it, and its id."""
    first_id = rng.randint(10_000, 90_000)

    def create(request):
        account = {"id": first_id + len(created_accounts), **json.loads(request.content)}
        created_accounts.append(account)
        return account

    return upstream.post(
        "http://accounts.example/users",
        json=create,
        status=201,
        latency=rng.uniform(*ACCOUNTS_LATENCY),
    )


@pytest.fixture
def mailbox():
    """The emails the mail service was asked to send."""
    return []


@pytest.fixture
def mail(upstream, mailbox, rng):
    """The mail service: slower than the account service."""

    def send(request):
        mailbox.append(json.loads(request.content))
        return {"queued": True, "id": f"msg-{rng.randint(10_000, 99_999)}"}

    return upstream.post("http://mail.example/send", json=send, latency=rng.uniform(*MAIL_LATENCY))


async def sign_up(app, newcomer):
    response = await app.post("/signup/", json=newcomer)
    response.assert_status(201, "Created, with the new account")
    return response


def app_logs(caplog):
    """What the app itself logged, at WARNING or above (not asyncio's, not Django's)."""
    return [
        record
        for record in caplog.records
        if record.levelno >= logging.WARNING
        and record.name != "asyncio"
        and not record.name.startswith("django")
    ]


async def test_signup_confirms_the_account(app, accounts, created_accounts, mail, newcomer):
    response = await sign_up(app, newcomer)
    if not created_accounts:
        pytest.fail("POST /signup/ never asked the account service to create the account.")
    if response.json() != created_accounts[0]:
        pytest.fail(
            f"POST /signup/ answered 201 with {response.json()!r}.\n"
            f"Expected the new account, as the account service created it: "
            f"{created_accounts[0]!r}.",
            pytrace=False,
        )


async def test_signup_answers_without_waiting_for_the_email(app, accounts, mail, newcomer):
    mail.latency = 1.0  # a slow day at the mail service
    response = await sign_up(app, newcomer)
    if any(call.end is not None and call.end <= response.end for call in mail.calls):
        pytest.fail(
            f"POST /signup/ answered after {response.elapsed:.2f} s: it waited for the mail "
            f"service ({mail.latency:g} s) to send the welcome email before it answered.\n"
            "Expected the sign-up to answer at once, and the email to go out in the "
            "background.\n\n" + mail.upstream.timeline(),
            pytrace=False,
        )


async def test_the_welcome_email_is_sent_in_the_background(
    app, accounts, mail, mailbox, newcomer, background_tasks, caplog
):
    await sign_up(app, newcomer)
    await background_tasks.settle()
    background_tasks.assert_none_pending()
    recipients = [email.get("to") for email in mailbox]
    if recipients != [newcomer["email"]]:
        pytest.fail(
            f"After POST /signup/ for {newcomer['email']}, the mail service was asked to send "
            f"emails to {recipients}.\nExpected one welcome email, to {newcomer['email']}.",
            pytrace=False,
        )
    if app_logs(caplog):
        record = app_logs(caplog)[0]
        pytest.fail(
            f"POST /signup/ for {newcomer['email']} went well and its welcome email went out, "
            f"yet the app logged at {record.levelname}: {record.getMessage()!r}.\n"
            "Expected no warning or error when nothing failed: a log that cries wolf on every "
            "sign-up hides the one that matters.",
            pytrace=False,
        )


def says_whose(record, account):
    """Whether a log record names the account, by its email or its id, in its message, its
    error or the name of the task it reports."""
    text = record.getMessage()
    if record.exc_info:
        text += "\n" + logging.Formatter().formatException(record.exc_info)
    return account["email"] in text or str(account["id"]) in text


async def test_a_failed_email_is_logged_by_the_app(
    app, accounts, created_accounts, mail, newcomer, background_tasks, caplog, upstream_failure
):
    mail.breaks(upstream_failure)
    await sign_up(app, newcomer)
    await background_tasks.settle()
    background_tasks.assert_none_pending()
    logged = app_logs(caplog)
    if logged and not any(says_whose(record, created_accounts[0]) for record in logged):
        pytest.fail(
            f"The welcome email to {newcomer['email']} failed (the mail service "
            f"{upstream_failure}), and the app logged {logged[0].levelname}: "
            f"{logged[0].getMessage()!r}, but not whose email it was.\n"
            "Expected the log to name the user (their email address or account id): support "
            "searches the logs for the user who wrote in.",
            pytrace=False,
        )
    if logged:
        return
    complaints = [record for record in caplog.records if record.name == "asyncio"]
    trace = (
        "The only trace was asyncio's own complaint, printed whenever the dead task happened to "
        f"be garbage-collected: {complaints[0].getMessage().splitlines()[0]!r}."
        if complaints
        else "Nothing anywhere said so."
    )
    pytest.fail(
        f"POST /signup/ answered 201, then the welcome email failed in the background (the "
        f"mail service {upstream_failure}), but the app logged nothing about it: nobody will "
        f"know that {newcomer['email']} never got their email.\n{trace}\n"
        "Expected the app to log the failure (at WARNING level or above).",
        pytrace=False,
    )


def kata_modules():
    here = Path(__file__).parent.name
    return [
        module
        for module in list(sys.modules.values())
        if here in Path(getattr(module, "__file__", None) or "").parts
        and module.__file__ != __file__
    ]


def strong_references(obj, ours):
    """What ``obj`` holds strongly, following only the kata's own code and plain containers
    (not other modules, and not weak collections, which hold nothing)."""
    if isinstance(obj, dict):
        return [*obj.keys(), *obj.values()]
    if isinstance(obj, (list, set, frozenset, tuple, deque)):
        return list(obj)
    if isinstance(obj, FunctionType):
        if obj.__module__ not in ours:
            return []
        cells = [cell.cell_contents for cell in obj.__closure__ or () if cell_is_set(cell)]
        return [*(obj.__defaults__ or ()), *(obj.__kwdefaults__ or {}).values(), *cells]
    if isinstance(obj, ModuleType) or getattr(type(obj), "__module__", None) not in ours:
        return [obj.__dict__] if isinstance(obj, type) and obj.__module__ in ours else []
    return [getattr(obj, "__dict__", {})]


def cell_is_set(cell):
    try:
        cell.cell_contents
    except ValueError:
        return False
    return True


def held_by_the_app(task):
    """Whether the kata's code holds ``task``: from its module-level names, through
    containers, its own objects and its functions' closures and defaults."""
    modules = kata_modules()
    ours = {module.__name__ for module in modules}
    frontier = [value for module in modules for value in vars(module).values()]
    seen = set()
    for _ in range(HOLD_DEPTH):
        following = []
        for obj in frontier:
            if obj is task:
                return True
            if id(obj) not in seen:
                seen.add(id(obj))
                following.extend(strong_references(obj, ours))
        frontier = following
    return False


async def test_each_email_task_is_held_by_the_app_while_it_runs(
    app, accounts, mail, mailbox, rng, background_tasks
):
    # Three sign-ups at once, and a slow mail service: all three emails are still in flight
    # when the last sign-up answers, and the garbage collector runs meanwhile.
    mail.latency = 0.5
    newcomers = [newcomer_from(rng) for _ in range(3)]
    # One of them clicks "Sign up" twice: two accounts, two emails to the same address.
    newcomers.append(rng.choice(newcomers))
    async with background_tasks.collecting_garbage(held_by_the_app) as collected:
        await asyncio.gather(*(sign_up(app, newcomer) for newcomer in newcomers))
    await background_tasks.settle()
    sent = [email.get("to") for email in mailbox]
    unsent = sorted(
        {
            newcomer["email"]
            for newcomer in newcomers
            if sent.count(newcomer["email"]) < newcomers.count(newcomer)
        }
    )
    if collected.loose or unsent:
        loose = len(collected.loose) or len(unsent)
        such_as = f", such as {collected.loose[0].get_name()!r}" if collected.loose else ""
        lost = (
            f"\nThe garbage collector ran while they were pending, and the welcome emails to "
            f"{', '.join(unsent)} were never sent."
            if unsent
            else ""
        )
        pytest.fail(
            f"{len(newcomers)} sign-ups came at once (one person clicked twice), and POST /signup/ answered 201 to "
            f"each while their welcome emails were still being sent in the background; but "
            f"nothing of the app held {loose} of those {len(collected.pending) or loose} "
            f"tasks{such_as} (a WeakSet, a done callback, or a variable that the next sign-up "
            f"overwrites, does not hold it).{lost}\nThe event loop keeps only a weak "
            "reference to a task: one that nothing else refers to can be garbage-collected "
            "half-way, and its email is never sent.\nExpected the app to keep a strong "
            "reference to each task (in a module-level set, say) until it finishes, then let "
            "go of it.",
            pytrace=False,
        )


async def test_finished_background_tasks_are_let_go_whether_sent_or_failed(
    app, accounts, mail, rng, background_tasks
):
    newcomers = [newcomer_from(rng) for _ in range(3)]
    # The mail service fails one of the three emails.
    mail.breaks("status_503_json", times=1)
    await asyncio.gather(*(sign_up(app, newcomer) for newcomer in newcomers))
    await background_tasks.settle()
    background_tasks.assert_none_pending()
    background_tasks.assert_finished_ones_let_go()


async def test_a_broken_account_service_is_a_502_and_sends_no_email(
    app, accounts, created_accounts, mail, mailbox, newcomer, background_tasks, upstream_failure
):
    accounts.breaks(upstream_failure)
    response = await app.post("/signup/", json=newcomer)
    response.assert_status(502, f"Bad Gateway: the account service {upstream_failure}")
    body = (
        response.json()
        if response.headers.get("content-type", "").startswith("application/json")
        else None
    )
    if not isinstance(body, dict) or "error" not in body:
        pytest.fail(
            f"POST /signup/ answered 502 with {response.text[:200]!r}.\n"
            'Expected a JSON body with an "error" key, for the sign-up form to show.',
            pytrace=False,
        )
    await background_tasks.settle()
    background_tasks.assert_none_pending()
    if mailbox:
        pytest.fail(
            f"The account service {upstream_failure}, so no account was created, yet the mail "
            f"service was asked to send {mailbox!r}.\nExpected no welcome email for an "
            "account that does not exist.",
            pytrace=False,
        )


def test_the_view_is_async(assert_async_view):
    assert_async_view("/signup/")
