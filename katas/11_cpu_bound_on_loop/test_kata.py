"""Logging in checks the password without freezing the rest of the site meanwhile."""

import pytest
from django.contrib.auth.models import User

WORDS = ["maple", "harbour", "copper", "lantern", "meadow", "falcon", "pepper", "glacier"]


@pytest.fixture
def sign_up(database, fake, rng):
    """Create a customer account with the hasher the test set up; returns its credentials."""

    async def sign_up():
        password = f"{rng.choice(WORDS)}-{rng.choice(WORDS)}-{rng.randint(100, 999)}"
        user = await User.objects.acreate_user(username=fake.username(), password=password)
        return {"username": user.username, "password": password}

    return sign_up


async def test_logs_in_with_the_right_password(app, fast_password_hashing, sign_up):
    customer = await sign_up()

    response = await app.post("/api/login/", json=customer)

    response.assert_json({"username": customer["username"]}, "the customer, logged in")
    assert "sessionid=" in response.headers.get("set-cookie", ""), (
        "Expected the login to set a session cookie, but it set none."
    )


async def test_refuses_a_wrong_password(app, fast_password_hashing, sign_up):
    customer = await sign_up()

    response = await app.post("/api/login/", json={**customer, "password": "not-the-password"})

    response.assert_status(401, "Unauthorized: wrong username or password")


async def test_health_checks_keep_answering_during_a_login(
    app, meanwhile, slow_password_hashing, sign_up
):
    # As in production, checking one password costs a good fraction of a second of CPU.
    customer = await sign_up()

    report = await meanwhile(app.post("/api/login/", json=customer), probe="/api/health/")

    report.response.assert_json({"username": customer["username"]}, "the customer, logged in")
    report.assert_answered_during(slow_password_hashing.checks, "the password check")
    report.assert_loop_not_blocked()
