"""The welcome page: greets visitors by the name in the link, and every other visitor as a friend."""

from urllib.parse import urlencode

FIRST_NAMES = ["Ada", "Grace", "Linus", "Guido", "Margaret", "Katherine", "Alan", "Radia"]
LAST_NAMES = ["Lovelace", "Hopper", "Hamilton", "Johnson", "Turing", "Perlman"]


async def test_welcomes_a_visitor_by_name(app, rng):
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    response = await app.get(f"/welcome/?{urlencode({'name': name, 'utm_source': 'email'})}")
    response.assert_json({"message": f"Welcome aboard, {name}!"}, f"a welcome for {name}")


async def test_welcomes_a_visitor_without_a_name(app):
    response = await app.get("/welcome/")
    response.assert_json({"message": "Welcome aboard, friend!"}, "a welcome for a friend")


async def test_welcomes_a_visitor_from_a_shared_link(app, rng):
    source = rng.choice(["mastodon", "forum", "chat", "blog"])
    response = await app.get(f"/welcome/?utm_source={source}")
    response.assert_json({"message": "Welcome aboard, friend!"}, "a welcome for a friend")


def test_the_view_is_async(assert_async_view):
    assert_async_view("/welcome/")
