"""GET /me/ tells the page header who is logged in, from an async view: logged-in users by
name, visitors and dead sessions as anonymous, without blocking the event loop."""

import secrets

from django.contrib.auth.models import User

ANONYMOUS = {"authenticated": False}


async def a_customer(fake):
    first, last = fake.person().split()
    return await User.objects.acreate(username=fake.username(), first_name=first, last_name=last)


async def test_a_visitor_is_anonymous(app, database):
    response = await app.get("/me/")
    response.assert_json(ANONYMOUS, "a visitor without a session is anonymous")


async def test_a_logged_in_user_is_greeted_by_name(app, database, login, fake):
    user = await a_customer(fake)
    me = await login(user)
    response = await me.get("/me/")
    response.assert_json(
        {"authenticated": True, "username": user.username, "name": user.get_full_name()},
        f"the logged-in user, {user.username}",
    )


async def test_an_unknown_session_is_anonymous(app, database):
    cookie = f"sessionid={secrets.token_hex(16)}"
    response = await app.get("/me/", headers={"cookie": cookie})
    response.assert_json(ANONYMOUS, "anonymous: the session cookie matches no session")


async def test_a_deactivated_user_is_anonymous(app, database, login, fake):
    user = await a_customer(fake)
    me = await login(user)
    await User.objects.filter(pk=user.pk).aupdate(is_active=False)
    response = await me.get("/me/")
    response.assert_json(ANONYMOUS, f"anonymous: {user.username}'s account was deactivated")


async def test_queries_do_not_block_the_event_loop(app, database, login, fake):
    me = await login(await a_customer(fake))
    await me.get("/me/")
    database.assert_no_query_on_loop()


def test_the_view_is_async(assert_async_view):
    assert_async_view("/me/")
