"""GET /me/ tells the page header who is logged in, from an async view: logged-in users by
name, visitors and dead sessions as anonymous, without blocking the event loop."""

import asyncio
import secrets

from django.contrib.auth.models import User

ANONYMOUS = {"authenticated": False}
# Real surnames hold apostrophes, hyphens and accents.
SURNAMES = ["{}", "{}", "O'{}", "{}-Ærø", "d'{}", "{}-Núñez"]


async def a_customer(fake, rng, *, surname=True):
    """A customer with a first name and, unless ``surname`` is false, a surname (many
    accounts have only a first name: their full name is just that)."""
    first, last = fake.person().split()
    last = rng.choice(SURNAMES).format(last) if surname else ""
    return await User.objects.acreate(username=fake.username(), first_name=first, last_name=last)


def greeting(user):
    return {"authenticated": True, "username": user.username, "name": user.get_full_name()}


async def test_a_visitor_is_anonymous(app, database):
    response = await app.get("/me/")
    response.assert_json(ANONYMOUS, "a visitor without a session is anonymous")


async def test_a_logged_in_user_is_greeted_by_name(app, database, login, fake, rng):
    user = await a_customer(fake, rng)
    me = await login(user)
    response = await me.get("/me/")
    response.assert_json(greeting(user), f"the logged-in user, {user.username}")


async def test_each_customer_sees_their_own_name(app, database, login, fake, rng):
    users = [await a_customer(fake, rng) for _ in range(rng.randint(3, 5))]
    users.append(await a_customer(fake, rng, surname=False))
    sessions = [await login(user) for user in users]
    for user, me in rng.sample(list(zip(users, sessions, strict=True)), len(users)):
        response = await me.get("/me/")
        response.assert_json(greeting(user), f"{user.username}'s own name, not another's")


async def test_customers_at_the_same_moment_each_see_their_own_name(
    app, database, login, fake, rng
):
    users = [await a_customer(fake, rng) for _ in range(rng.randint(4, 6))]
    sessions = [await login(user) for user in users] + [app]
    expected = [greeting(user) for user in users] + [ANONYMOUS]
    # Rounds of every customer, and a visitor, at once: whatever one request keeps while it
    # waits must be its own.
    for _ in range(3):
        order = rng.sample(range(len(sessions)), len(sessions))
        responses = await asyncio.gather(*(sessions[n].get("/me/") for n in order))
        for n, response in zip(order, responses, strict=True):
            whose = f"{users[n].username}'s own name" if n < len(users) else "a visitor's"
            response.assert_json(
                expected[n], f"{whose} answer, while {len(sessions) - 1} others asked at once"
            )


async def test_an_unknown_session_is_anonymous(app, database):
    cookie = f"sessionid={secrets.token_hex(16)}"
    response = await app.get("/me/", headers={"cookie": cookie})
    response.assert_json(ANONYMOUS, "anonymous: the session cookie matches no session")


async def test_a_user_deactivated_since_logging_in_is_anonymous(app, database, login, fake, rng):
    user = await a_customer(fake, rng)
    me = await login(user)
    (await me.get("/me/")).assert_json(greeting(user), f"{user.username}, before the change")
    await User.objects.filter(pk=user.pk).aupdate(is_active=False)
    response = await me.get("/me/")
    response.assert_json(ANONYMOUS, f"anonymous: {user.username}'s account was deactivated")


async def test_a_user_deleted_since_logging_in_is_anonymous(app, database, login, fake, rng):
    user = await a_customer(fake, rng)
    me = await login(user)
    (await me.get("/me/")).assert_json(greeting(user), f"{user.username}, before the change")
    # The customer closed their account; the browser still sends the old session cookie.
    await User.objects.filter(pk=user.pk).adelete()
    response = await me.get("/me/")
    response.assert_json(ANONYMOUS, f"anonymous: {user.username}'s account was deleted")


async def test_a_user_whose_password_changed_since_logging_in_is_anonymous(
    app, database, login, fake, rng
):
    user = await a_customer(fake, rng)
    me = await login(user)
    (await me.get("/me/")).assert_json(greeting(user), f"{user.username}, before the change")
    # The password was reset elsewhere: Django logs out every session opened before.
    await User.objects.filter(pk=user.pk).aupdate(password=f"!{secrets.token_urlsafe(20)}")
    response = await me.get("/me/")
    response.assert_json(
        ANONYMOUS,
        f"anonymous: {user.username}'s password changed after this session logged in",
    )


async def test_queries_do_not_block_the_event_loop(app, database, login, fake, rng):
    me = await login(await a_customer(fake, rng))
    await me.get("/me/")
    database.assert_no_query_on_loop()


def test_the_view_is_async(assert_async_view):
    assert_async_view("/me/")
