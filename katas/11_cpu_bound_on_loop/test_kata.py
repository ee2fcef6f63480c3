"""Logging in checks the password without freezing the rest of the site meanwhile."""

from http.cookies import SimpleCookie
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User

WORDS = ["maple", "harbour", "copper", "lantern", "meadow", "falcon", "pepper", "glacier"]


@pytest.fixture
def sign_up(database, fake, rng):
    """Create a customer account with the hasher the test set up; returns its credentials."""

    async def sign_up():
        password = f"{rng.choice(WORDS)}-{rng.choice(WORDS)}-{rng.randint(100, 999)}"
        user = await User.objects.acreate_user(username=fake.username(), password=password)
        return {"username": user.username, "password": password, "id": str(user.pk)}

    return sign_up


def near_misses(password):
    """Wrong passwords a customer really types: a slip of one key, caps lock, a stray space."""
    return [password[:-1], password.upper(), f"{password} "]


async def logged_in_user(response):
    """The id of the user the session cookie in ``response`` logs in, or None."""
    cookie = SimpleCookie(response.headers.get("set-cookie", ""))
    morsel = cookie.get(settings.SESSION_COOKIE_NAME)
    if morsel is None or not morsel.value:
        return None
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=morsel.value)
    return await session.aget(SESSION_KEY)


async def test_logs_in_with_the_right_password(app, fast_password_hashing, sign_up):
    customer = await sign_up()

    response = await app.post("/api/login/", json=customer)

    response.assert_json({"username": customer["username"]}, "the customer, logged in")
    user = await logged_in_user(response)
    if user != customer["id"]:
        pytest.fail(
            f"POST /api/login/ as {customer['username']} answered 200, but "
            + ("set no session cookie" if user is None else f"its session logs in user {user}")
            + f".\nExpected a session cookie that logs in {customer['username']} "
            f"(user {customer['id']}).",
            pytrace=False,
        )


async def test_a_wrong_password_is_refused_and_logs_no_one_in(app, fast_password_hashing, sign_up):
    customer = await sign_up()
    # Every near miss, each a wrong password: one tidied up before the check logs in.
    attempts = [
        *({**customer, "password": miss} for miss in near_misses(customer["password"])),
        {"username": f"{customer['username']}x", "password": customer["password"]},
    ]

    for attempt in attempts:
        response = await app.post(
            "/api/login/", json={key: attempt[key] for key in ("username", "password")}
        )

        response.assert_status(
            401,
            f"Unauthorized: wrong username or password ({attempt['username']!r} with "
            f"{attempt['password']!r}; the password is {customer['password']!r})",
        )
        user = await logged_in_user(response)
        if user is not None:
            pytest.fail(
                f"POST /api/login/ as {attempt['username']!r} with a wrong password answered "
                f"401, and yet set a session cookie that logs in user {user}: whoever holds it "
                "is logged in without the password.\n"
                "Expected no login at all unless the password was checked and found right.",
                pytrace=False,
            )


async def test_logging_in_starts_a_new_session(app, fast_password_hashing, sign_up):
    customer = await sign_up()
    # The browser already has a session: one an attacker may have planted in it, to take
    # over the account once the customer logs in with it.
    planted = import_module(settings.SESSION_ENGINE).SessionStore()
    await planted.acreate()
    cookie = f"{settings.SESSION_COOKIE_NAME}={planted.session_key}"

    response = await app.post("/api/login/", json=customer, headers={"cookie": cookie})

    response.assert_json({"username": customer["username"]}, "the customer, logged in")
    store = import_module(settings.SESSION_ENGINE).SessionStore
    user = await store(session_key=planted.session_key).aget(SESSION_KEY)
    if user is not None:
        pytest.fail(
            f"POST /api/login/ as {customer['username']} came with a session the browser "
            f"already had, and that same session now logs in user {user}: whoever planted it "
            "in the browser is logged in too (session fixation).\n"
            "Expected the login to start a new session, with a new key, as Django's login() "
            "and alogin() do: never to write the user into the session the request came with.",
            pytrace=False,
        )


async def test_an_old_password_no_longer_logs_in_once_changed(
    app, fast_password_hashing, sign_up, rng
):
    customer = await sign_up()
    response = await app.post("/api/login/", json=customer)
    response.assert_json({"username": customer["username"]}, "the customer, logged in")
    # The customer changes the password (it leaked, say) between two logins.
    changed = {**customer, "password": f"{rng.choice(WORDS)}-{rng.randint(1000, 9999)}"}
    user = await User.objects.aget(pk=customer["id"])
    user.set_password(changed["password"])
    await user.asave()

    response = await app.post("/api/login/", json=customer)

    if response.status != 401 or await logged_in_user(response) is not None:
        pytest.fail(
            f"{customer['username']} logged in, then changed the password. A login with the "
            f"old password afterwards answered {response.status}"
            + (", with a session that logs them in" if response.status != 401 else "")
            + ".\nExpected 401 and no session: the old password is a wrong password now, "
            "whatever an earlier login found.",
            pytrace=False,
        )
    response = await app.post("/api/login/", json=changed)
    response.assert_json(
        {"username": customer["username"]}, "the customer, logged in with the new password"
    )


async def test_health_checks_keep_answering_during_a_login(
    app, meanwhile, slow_password_hashing, sign_up
):
    # As in production, checking one password costs a good fraction of a second of CPU.
    customer = await sign_up()

    report = await meanwhile(app.post("/api/login/", json=customer), probe="/api/health/")

    report.response.assert_json({"username": customer["username"]}, "the customer, logged in")
    report.assert_answered_during(slow_password_hashing.checks, "the password check")
    report.assert_loop_not_blocked()

    # A wrong password with the slow hasher: answering it right takes the real check, and
    # the loop stays free meanwhile only if the check runs off it.
    wrong = {**customer, "password": near_misses(customer["password"])[0]}
    report = await meanwhile(app.post("/api/login/", json=wrong), probe="/api/health/")
    report.response.assert_status(401, "a login with a wrong password, checked by the slow hasher")
    report.assert_loop_not_blocked()
