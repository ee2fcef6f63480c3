"""The welcome page: greets visitors by the name in the link, and every other visitor as a friend."""

import json
from urllib.parse import urlencode

import pytest

FIRST_NAMES = ["Ada", "Grace", "Linus", "Guido", "Margaret", "Katherine", "Alan", "Radia"]
LAST_NAMES = ["Lovelace", "Hopper", "Hamilton", "Johnson", "Turing", "Perlman"]
# Members' names as they typed them into the club's list: accents, other alphabets,
# apostrophes, quotes, ampersands and angle brackets all come back unchanged.
# Each of these holds a letter outside ASCII, so every accented name tells a decoding apart.
ACCENTED_FIRST = ["Zoë", "Søren", "José", "Łucja", "Aoibhín", "Ngọc", "Марина", "美咲"]
ACCENTED_LAST = ["Müller", "Kierkegård", "Ñúñez", "Dvořák", "Ó Súilleabháin", "Øyen"]
# Every nickname has angle brackets: a name is text, even when it looks like a tag.
NICKNAMES = ["<Salty>", "Captain & <Crew>", "<Skipper>", "Knots & <Bolts>", "Full <Sail>"]
APOSTROPHE_LAST = ["O'Brien", "D'Arcy", "O'Hara", "N'Diaye"]
# Some members sign off with a cheer: a backslash breaks JSON escaped by hand, and a plus
# (sent as %2B in the link) turns into a space if the name is decoded a second time.
CHEERS = ["+1 \\o/", "¯\\_(ツ)_/¯ +1", "\\m/ ++"]
# Names that are not capitalised word by word: "tidying" them with .title() changes them.
PARTICLE_LAST = ["van Rossum", "von Neumann", "McCarthy", "McIlroy", "de Icaza", "da Silva"]
# Names their owners write in lower case on purpose: capitalising the first letter changes them.
LOWER_CASE = ["bell hooks", "danah boyd", "k.d. lang", "e e cummings", "will.i.am", "dj ana"]


def plain(rng):
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def accented(rng):
    return f"{rng.choice(ACCENTED_FIRST)} {rng.choice(ACCENTED_LAST)}"


def with_particle(rng):
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(PARTICLE_LAST)}"


def in_lower_case(rng):
    return rng.choice(LOWER_CASE)


def with_symbols(rng):
    # Always a double quote and a backslash (they break JSON built by hand), < > ' (HTML
    # escaping would change them) and a plus.
    nickname, last, cheer = rng.choice(NICKNAMES), rng.choice(APOSTROPHE_LAST), rng.choice(CHEERS)
    return f'{rng.choice(FIRST_NAMES)} "{nickname}" {last} {cheer}'


NAMES = {
    "plain": plain,
    "particles": with_particle,
    "lowercase": in_lower_case,
    "accents": accented,
    "symbols": with_symbols,
}


def json_or_none(content):
    try:
        return json.loads(content)
    except ValueError:
        return None


def assert_welcomes(response, name, meaning):
    __tracebackhide__ = True
    expected = {"message": f"Welcome aboard, {name}!"}
    response.assert_status(200, meaning)
    if json_or_none(response.content) is None:
        pytest.fail(
            f"{response.request_line} answered with a body that is not JSON:\n"
            f"    {response.text[:300]!r}\nExpected this JSON:\n"
            f"    {json.dumps(expected, ensure_ascii=False)}\n"
            "(Quotes, backslashes and the like in a name must be escaped to go into JSON.)",
            pytrace=False,
        )
    response.assert_json(expected, meaning)


@pytest.mark.parametrize("kind", NAMES)
async def test_welcomes_a_visitor_by_name(app, rng, kind):
    name = NAMES[kind](rng)
    params = [("name", name), ("utm_source", rng.choice(["email", "newsletter"]))]
    rng.shuffle(params)
    query = urlencode(params)
    response = await app.get(f"/welcome/?{query}")
    assert_welcomes(response, name, f"a welcome for {name}")


async def test_welcomes_a_visitor_without_a_name(app):
    response = await app.get("/welcome/")
    assert_welcomes(response, "friend", "a welcome for a friend")


async def test_welcomes_a_visitor_from_a_shared_link(app, rng):
    source = rng.choice(["mastodon", "forum", "chat", "blog"])
    response = await app.get(f"/welcome/?utm_source={source}")
    assert_welcomes(response, "friend", "a welcome for a friend")


def test_the_view_is_async(assert_async_view):
    assert_async_view("/welcome/")
