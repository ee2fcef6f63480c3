"""The account page: each request sees its own user's profile and orders, even when many
requests are served at the same time; a broken service is a 502; and nothing of a request
is kept once it has answered."""

import asyncio
import gc
import threading
from pathlib import Path

import pytest
from django.http import HttpRequest

from dojo.harness.kept import holds, kept_values

# Usernames as the auth gateway sends them (none of them a word some library keeps around).
USERS = ["ana.k", "bo92", "chen_l", "dara.o", "emil.s", "farah_m", "goran.p", "hana_t", "ivo.b"]
SURNAMES = ["Silva", "Novak", "Okafor", "Larsen", "Moreau", "Tanaka", "Kowalski", "O'Hara"]
FIRST_NAMES = ["Zoë", "Łukasz", "Ana", "Bo", "Chidi", "Dara", "Émile", "Björk", "Ivo"]
TOGETHER = 5
# How many times, and how far apart, the memory check looks for what a request left behind.
LOOKS = 4
LOOK_AGAIN = 0.1
# Each service answers at its own speed, different from test to test.
LATENCY = (0.05, 0.15)
# Ten times the slowest answer (failure tests run ten times faster: 0.15 s here).
HEALTHY_WHILE_BROKEN = 1.5


@pytest.fixture
def people(rng):
    """Each user's name and recent orders; new ones on every run."""
    return {
        user: {
            "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
            "orders": [
                {"id": rng.randint(10_000, 99_999), "total_eur": rng.randint(5, 400)}
                for _ in range(rng.randint(1, 3))
            ],
        }
        for user in USERS
    }


@pytest.fixture
def services(upstream, people, rng):
    """The profile and order services, about the ``?user=`` asked for."""

    def profile(request):
        user = request.url.params["user"]
        return {"user": user, "name": people[user]["name"]}

    def orders(request):
        return {"orders": people[request.url.params["user"]]["orders"]}

    return {
        "profiles": upstream.get(
            "http://profiles.example/profile", json=profile, latency=rng.uniform(*LATENCY)
        ),
        "orders": upstream.get(
            "http://orders.example/recent", json=orders, latency=rng.uniform(*LATENCY)
        ),
    }


def page_of(user, people):
    return {"user": user, "name": people[user]["name"], "orders": people[user]["orders"]}


async def visit_together(app, users):
    """GET /account/ as each of ``users``, all at the same time."""
    return await asyncio.gather(*(app.get("/account/", headers={"X-User": u}) for u in users))


def alive(users):
    """The finished tasks that served requests, and the HttpRequest objects of ``users``'
    requests, that are still alive: asyncio holds a task only while it runs, so a finished
    one lives on only if something else keeps it. (One pass over every object: in a process
    that has run many katas, each pass takes a while.)"""
    gc.collect()
    tasks, requests = [], []
    for obj in gc.get_objects():
        kind = type(obj)
        if issubclass(kind, asyncio.Task):
            coroutine = getattr(obj.get_coro(), "__qualname__", "")
            if obj.done() and coroutine.startswith("ASGIHandler."):
                tasks.append(obj)
        elif issubclass(kind, HttpRequest) and obj.headers.get("X-User") in users:
            requests.append(obj)
    return tasks, requests


def kept_many(requests):
    """More than one request still alive: a view that keeps what it serves keeps them all,
    while the server itself may hold on to the last one it served for a while (seen in one
    run of every kata in a process, on a loaded machine, with the reference fix)."""
    return len(requests) > 1


def holders_of(users):
    """The containers (dicts, lists, sets, deques, and what they hold) that the kata's code
    keeps at module level, directly or on one of its module-level objects, holding one of
    ``users``."""
    wanted = set(users)
    found = {
        id(value): value
        for _, value in kept_values(Path(__file__).parent)
        if holds(value, lambda item: type(item) is str and item in wanted)
    }
    return list(found.values())


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
            f"  as {user!r}: user {page.get('user')!r}, name {page.get('name')!r}, "
            f"orders {[order['id'] for order in page.get('orders', [])]}"
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


async def test_a_broken_service_is_a_502_not_a_crash(app, services, rng, upstream_failure):
    user = rng.choice(USERS)
    broken, healthy = rng.sample(["profiles", "orders"], 2)
    services[broken].breaks(upstream_failure)
    # The healthy service is still answering when the broken one fails: a page that answers
    # 502 then must not leave that call running behind it.
    services[healthy].latency = HEALTHY_WHILE_BROKEN
    response = await app.get("/account/", headers={"X-User": user})
    response.assert_status(502, f"Bad Gateway: the {broken[:-1]} service {upstream_failure}")
    body = (
        response.json()
        if response.headers.get("content-type", "").startswith("application/json")
        else None
    )
    if not isinstance(body, dict) or "error" not in body:
        pytest.fail(
            f"GET /account/ answered 502 with {response.text[:200]!r}.\n"
            'Expected a JSON body with an "error" key, for the page to show.',
            pytrace=False,
        )


async def test_nothing_of_a_request_is_kept_once_it_has_answered(app, services, rng):
    users = rng.sample(USERS, TOGETHER)
    # Some of them meet a broken order service: a request that fails must let go too.
    services["orders"].breaks("status_503_json", times=2)
    tasks_before = set(map(id, alive(users)[0]))
    for response in await visit_together(app, users):
        if response.status != 502:
            response.assert_status(200, "the account page")
    # The server lets go of a request a moment after its answer is sent: on a busy machine,
    # look again a few times before calling what is left kept.
    for _ in range(LOOKS):
        tasks_after, kept_requests = alive(users)
        kept_tasks = [task for task in tasks_after if id(task) not in tasks_before]
        kept_users = holders_of(users)
        if not (kept_tasks or kept_many(kept_requests) or kept_users):
            break
        await asyncio.sleep(LOOK_AGAIN)
    if kept_tasks or kept_many(kept_requests) or kept_users:
        what = (
            f"{len(kept_requests)} of their request objects were"
            if kept_requests
            else f"{len(kept_tasks)} of the tasks that served them were"
            if kept_tasks
            else f"a {type(kept_users[0]).__name__} of {len(kept_users[0])} entries holding "
            "their users was"
        )
        pytest.fail(
            f"{TOGETHER} requests to GET /account/ had answered, and {what} still held "
            "in memory: something keeps a piece of every request it serves, keyed by the "
            "request or its task, and never lets go (two of them met a broken order service "
            "and answered 502: those must let go too). On a server that runs for weeks, that "
            "only grows.\nExpected each request's state to go away with the request.",
            pytrace=False,
        )


def thread_locals_holding(users):
    """The ``threading.local`` objects the kata's code keeps at module level that still
    hold one of ``users`` on this thread (the event loop's, which served the requests)."""
    wanted = set(users)
    return [
        name
        for name, value in kept_values(Path(__file__).parent)
        if isinstance(value, threading.local)
        and holds(dict(vars(value)), lambda item: type(item) is str and item in wanted)
    ]


async def test_no_user_is_left_on_the_event_loops_thread(app, services, rng):
    users = rng.sample(USERS, TOGETHER)
    for response in await visit_together(app, users):
        response.assert_status(200, "the account page")
    holders = thread_locals_holding(users)
    if holders:
        pytest.fail(
            f"{TOGETHER} requests to GET /account/ had answered, and {', '.join(holders)}, a "
            "threading.local, still held one of their users on the event loop's thread: "
            "every request of the server runs on that thread, so the user of a request that "
            "has answered is there for whatever code runs next, for any other user (putting "
            "the user back after each await only hides that).\nExpected each request's user "
            "to live in something of that request alone (its task's context, an argument, "
            "the request), gone when it has answered.",
            pytrace=False,
        )


def test_the_view_is_async(assert_async_view):
    assert_async_view("/account/")
