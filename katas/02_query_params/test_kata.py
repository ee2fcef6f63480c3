"""The welcome page: greets visitors by the name in the link, and every other visitor as a friend."""

from urllib.parse import urlencode

import pytest

FIRST_NAMES = ["Ada", "Grace", "Linus", "Guido", "Margaret", "Katherine", "Alan", "Radia"]
LAST_NAMES = ["Lovelace", "Hopper", "Hamilton", "Johnson", "Turing", "Perlman"]
# Members' names as they typed them into the club's list: accents, other alphabets,
# apostrophes, quotes, ampersands and angle brackets all come back unchanged.
ACCENTED_FIRST = ["Zoë", "Søren", "José", "Łucja", "Aoife", "Ngọc", "Марина", "美咲"]
ACCENTED_LAST = ["Müller", "Kierkegaard", "Ñúñez", "Dvořák", "Ó Súilleabháin", "Øyen"]
NICKNAMES = ["Salty", "Captain & Crew", "<Skipper>", "Knots & Bolts", "Full <Sail>"]
APOSTROPHE_LAST = ["O'Brien", "D'Arcy", "O'Hara", "N'Diaye"]


def plain(rng):
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def accented(rng):
    return f"{rng.choice(ACCENTED_FIRST)} {rng.choice(ACCENTED_LAST)}"


def with_symbols(rng):
    # Always a double quote (it breaks JSON built by hand), and one of & < > ' besides.
    return f'{rng.choice(FIRST_NAMES)} "{rng.choice(NICKNAMES)}" {rng.choice(APOSTROPHE_LAST)}'


NAMES = {"plain": plain, "accents": accented, "symbols": with_symbols}


@pytest.mark.parametrize("kind", NAMES)
async def test_welcomes_a_visitor_by_name(app, rng, kind):
    name = NAMES[kind](rng)
    params = [("name", name), ("utm_source", rng.choice(["email", "newsletter"]))]
    rng.shuffle(params)
    query = urlencode(params)
    response = await app.get(f"/welcome/?{query}")
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
