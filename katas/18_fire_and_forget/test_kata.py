"""Sign-up: the account is confirmed at once, the welcome email is sent in the background,
a failed email is logged by the app, and nothing is left pending or held for ever."""

import asyncio
import json
import logging

import pytest

NAMES = ["Ana", "Bo", "Chen", "Dara", "Emil", "Farah", "Goran", "Hana"]
# How the mail service can fail: an error status, or no connection at all.
FAILURES = {
    "status_503": lambda mail: mail.fails(503),
    "unreachable": lambda mail: mail.raises(),
}


def newcomer_from(rng):
    name = rng.choice(NAMES)
    return {"email": f"{name.lower()}.{rng.randint(100, 999)}@example.org", "name": name}


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

    return upstream.post("http://accounts.example/users", json=create, status=201, latency=0.1)


@pytest.fixture
def mailbox():
    """The emails the mail service was asked to send."""
    return []


@pytest.fixture
def mail(upstream, mailbox):
    """The mail service: slow, 0.3 s per email."""

    def send(request):
        mailbox.append(json.loads(request.content))
        return {"queued": True}

    return upstream.post("http://mail.example/send", json=send, latency=0.3)


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
    app, accounts, mail, mailbox, newcomer, background_tasks
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


@pytest.mark.parametrize("failure", FAILURES)
async def test_a_failed_email_is_logged_by_the_app(
    app, accounts, mail, newcomer, background_tasks, caplog, failure
):
    FAILURES[failure](mail)
    await sign_up(app, newcomer)
    await background_tasks.settle()
    background_tasks.assert_none_pending()
    if app_logs(caplog):
        return
    how = "answered 503" if failure == "status_503" else "could not be reached"
    complaints = [record for record in caplog.records if record.name == "asyncio"]
    trace = (
        "The only trace was asyncio's own complaint, printed whenever the dead task happened to "
        f"be garbage-collected: {complaints[0].getMessage().splitlines()[0]!r}."
        if complaints
        else "Nothing anywhere said so."
    )
    pytest.fail(
        f"POST /signup/ answered 201, then the welcome email failed in the background (the "
        f"mail service {how}), but the app logged nothing about it: nobody will know that "
        f"{newcomer['email']} never got their email.\n{trace}\n"
        "Expected the app to log the failure (at WARNING level or above).",
        pytrace=False,
    )


async def test_finished_background_tasks_are_let_go(app, accounts, mail, rng, background_tasks):
    newcomers = [newcomer_from(rng) for _ in range(3)]
    await asyncio.gather(*(sign_up(app, newcomer) for newcomer in newcomers))
    await background_tasks.settle()
    background_tasks.assert_none_pending()
    background_tasks.assert_finished_ones_let_go()


def test_the_view_is_async(assert_async_view):
    assert_async_view("/signup/")
