"""The account page: each request sees its own user's profile and orders, even when many
requests are served at the same time."""

import asyncio

import pytest

USERS = ["ana", "bo", "chen", "dara", "emil", "farah", "goran", "hana", "ivo", "jun"]
SURNAMES = ["Silva", "Novak", "Okafor", "Larsen", "Moreau", "Tanaka", "Kowalski", "Haddad"]
TOGETHER = 5


@pytest.fixture
def people(rng):
    """Each user's name and recent orders; new ones on every run."""
    return {
        user: {
            "name": f"{user.title()} {rng.choice(SURNAMES)}",
            "orders": [
                {"id": rng.randint(10_000, 99_999), "total_eur": rng.randint(5, 400)}
                for _ in range(rng.randint(1, 3))
            ],
        }
        for user in USERS
    }


@pytest.fixture
def services(upstream, people):
    """The profile and order services, 0.3 s per answer, about the ``?user=`` asked for."""

    def profile(request):
        user = request.url.params["user"]
        return {"user": user, "name": people[user]["name"]}

    def orders(request):
        return {"orders": people[request.url.params["user"]]["orders"]}

    return {
        "profiles": upstream.get("http://profiles.example/profile", json=profile, latency=0.3),
        "orders": upstream.get("http://orders.example/recent", json=orders, latency=0.3),
    }


def page_of(user, people):
    return {"user": user, "name": people[user]["name"], "orders": people[user]["orders"]}


async def visit_together(app, users):
    """GET /account/ as each of ``users``, all at the same time."""
    return await asyncio.gather(*(app.get("/account/", headers={"X-User": u}) for u in users))


async def test_the_account_page_shows_the_users_profile_and_orders(app, services, people, rng):
    user = rng.choice(USERS)
    response = await app.get("/account/", headers={"X-User": user})
    response.assert_json(page_of(user, people), f"the profile and orders of {user}")


async def test_requests_for_different_users_are_served_at_the_same_time(
    app, upstream, services, rng
):
    users = rng.sample(USERS, TOGETHER)
    for response in await visit_together(app, users):
        response.assert_status(200, "the account page")
    # Served together, their calls overlap; served one after another, they never do.
    upstream.assert_calls_overlapped(2)


async def test_parallel_requests_each_see_their_own_user(app, services, people, rng):
    users = rng.sample(USERS, TOGETHER)
    responses = await visit_together(app, users)
    for response in responses:
        response.assert_status(200, "the account page")
    wrong = [
        (user, response.json())
        for user, response in zip(users, responses, strict=True)
        if response.json() != page_of(user, people)
    ]
    if wrong:
        seen = "\n".join(
            f"  as {user!r}: user {page['user']!r}, name {page['name']!r}, "
            f"orders {[order['id'] for order in page['orders']]}"
            for user, page in wrong
        )
        user, _ = wrong[0]
        pytest.fail(
            f"{TOGETHER} requests to GET /account/, sent at the same time as "
            f"{', '.join(users)}: {len(wrong)} of them got another user's data.\n{seen}\n"
            f"Expected each request to see its own user; as {user!r}:\n"
            f"    {page_of(user, people)!r}",
            pytrace=False,
        )


def test_the_view_is_async(assert_async_view):
    assert_async_view("/account/")
