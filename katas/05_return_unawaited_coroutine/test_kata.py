"""The member card: fetched from the members service, shown as an HTML card; an unknown card
is a 404 and a failing members service a 502."""

import asyncio
from html.parser import HTMLParser

import pytest

NAMES = ["Ada Okafor", "Chen Wei", "Dana Kowalski", "Emeka Obi", "Farah Haddad", "Tom Berg"]
ACCENTED = ["Björn Berg", "Zoë Lefèvre", "Łucja Wójcik", "Søren Ødegård", "Nguyễn Thị Mai"]
# Members type their own names, nicknames included: the card must show them as text, never
# let them turn into HTML. Some paste a nickname from a web page, entities and all ("&lt;3"):
# every nickname holds one, so a card that escapes < and > but not & shows it wrong every run.
FIRST = ["Ada", "Chen", "Dana", "Emeka", "Farah"]
NICKNAMES = [
    "<Crux> &lt;3",
    "<b>Dyno</b> &amp; Co",
    "<Jug> & Pinch &hearts;",
    "<i>Sloper</i> &copy;",
]
LAST = ["O'Brien", "D'Souza", "Berg & Berg", "Kowalski"]
GATEWAY_ERRORS = (502, 503, 504)
# Error statuses with which the members service turns this server away: the service is
# failing, and the card is fine.
TURNED_AWAY = {401: "Unauthorized", 403: "Forbidden", 429: "Too Many Requests"}
# The morning rush: members scan their cards at several turnstiles at once. The members
# service takes this long to answer them: long enough for every card's call to have
# started before the first one ends.
TURNSTILES = 3
SLOW_LATENCY = 0.3
# Two in flight at once is proof enough that nothing lets one at a time through, and still
# holds on a loaded machine, where the last caller can start late.
OVERLAPPING = 2


def plain(rng):
    return rng.choice(NAMES)


def accented(rng):
    return rng.choice(ACCENTED)


def with_markup(rng):
    return f'{rng.choice(FIRST)} "{rng.choice(NICKNAMES)}" {rng.choice(LAST)}'


NAME_KINDS = {"plain": plain, "accents": accented, "symbols": with_markup}


class _Text(HTMLParser):
    """The text a browser shows for a piece of HTML: tags left out, entities read."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text = []

    def handle_data(self, data):
        self.text.append(data)


def shown_text(html):
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join(parser.text)


@pytest.fixture
def members(upstream, rng):
    """The fake members service. ``members.add(kind)`` adds a member with a name of that kind,
    different on every run, and returns the member's data."""

    class Members:
        def add(self, kind="plain"):
            member_id = rng.randint(100, 9999)
            data = {
                "id": member_id,
                "name": NAME_KINDS[kind](rng),
                "since": rng.randint(2005, 2025),
            }
            self.route = upstream.get(
                f"http://members.example/members/{member_id}", json=data, latency=0.05
            )
            return data

    return Members()


async def test_card_answers_200(app, members):
    member = members.add()
    response = await app.get(f"/members/{member['id']}/card/")
    response.assert_status(200, "the member's card")


@pytest.mark.parametrize("kind", NAME_KINDS)
async def test_card_shows_the_member(app, members, kind):
    member = members.add(kind)
    response = await app.get(f"/members/{member['id']}/card/")
    response.assert_status(200, "the member's card")
    content_type = response.headers.get("content-type", "(none)")
    if not content_type.startswith("text/html"):
        pytest.fail(
            f"{response.request_line} answered with Content-Type {content_type!r}; "
            "expected 'text/html', an HTML card.",
            pytrace=False,
        )
    shown = shown_text(response.text)
    expected = [member["name"], f"Member since {member['since']}"]
    missing = [text for text in expected if text not in shown]
    if missing:
        pytest.fail(
            f"{response.request_line} answered this HTML:\n    {response.text[:300]!r}\n"
            f"which a browser shows as:\n    {shown[:300]!r}\n"
            f"Expected it to show {' and '.join(repr(text) for text in missing)}, from the "
            "members service, as text: a name goes into HTML escaped, and escaped once.",
            pytrace=False,
        )


async def test_cards_scanned_at_once_are_fetched_at_the_same_time(app, upstream, members):
    scanned = []
    for _ in range(TURNSTILES):
        scanned.append(members.add())
        members.route.latency = SLOW_LATENCY
    responses = await asyncio.gather(
        *(app.get(f"/members/{member['id']}/card/") for member in scanned)
    )
    for response, member in zip(responses, scanned, strict=True):
        response.assert_status(200, f"the card of {member['name']}")
        if member["name"] not in shown_text(response.text):
            pytest.fail(
                f"{response.request_line} showed {shown_text(response.text)[:200]!r}; "
                f"expected the card of {member['name']!r}, the member who scanned it.",
                pytrace=False,
            )
    # A view that asks the service for one card at a time (a single worker thread, a lock)
    # keeps the last turnstile waiting for every card scanned before it.
    upstream.assert_calls_overlapped(OVERLAPPING)


async def test_an_unknown_card_is_a_404(app, upstream, rng):
    member_id = rng.randint(100, 9999)
    upstream.get(
        f"http://members.example/members/{member_id}",
        json={"error": "no such member"},
        status=404,
        latency=0.05,
    )
    response = await app.get(f"/members/{member_id}/card/")
    response.assert_status(404, "Not Found: the members service does not know this card")


async def test_a_card_registered_after_a_first_scan_is_shown(app, members):
    member = members.add()
    # A new member scans the card before the front desk has finished registering it...
    members.route.returns({"error": "no such member"}, status=404)
    path = f"/members/{member['id']}/card/"
    (await app.get(path)).assert_status(404, "Not Found: the card is not registered yet")
    # ...and again a minute later, once it is.
    members.route.returns(member)
    response = await app.get(path)
    response.assert_status(200, "the card, registered since the first scan")
    if member["name"] not in shown_text(response.text):
        pytest.fail(
            f"{response.request_line} showed {shown_text(response.text)[:200]!r}; expected the "
            f"card of {member['name']!r}: the members service knows the card now. A card the "
            "service did not know a minute ago is not unknown for good.",
            pytrace=False,
        )


@pytest.mark.parametrize("status", TURNED_AWAY)
async def test_a_members_service_turning_us_away_is_a_502_not_an_unknown_card(app, members, status):
    member = members.add()
    members.route.returns({"error": TURNED_AWAY[status].lower()}, status=status)
    response = await app.get(f"/members/{member['id']}/card/")
    if response.status not in GATEWAY_ERRORS:
        pytest.fail(
            f"The members service answered {status} {TURNED_AWAY[status]}.\n"
            f"{response.explain()}\n"
            "Expected 502 Bad Gateway (503 or 504 would do): the members service is failing. "
            "Only its 404 means the card is unknown.",
            pytrace=False,
        )


async def test_a_broken_members_service_is_a_502_not_a_crash(app, members, upstream_failure):
    member = members.add()
    # The member checked in fine yesterday: yesterday's card is not today's answer.
    await app.get(f"/members/{member['id']}/card/")
    before = "sent this member's card, then " if members.route.call_count else ""
    members.route.breaks(upstream_failure)
    response = await app.get(f"/members/{member['id']}/card/")
    if response.status not in GATEWAY_ERRORS:
        what = response.explain()
        if response.status == 200:
            what += f"\nThe card showed: {response.text[:200]!r}"
        pytest.fail(
            f"The members service {before}{upstream_failure}.\n{what}\n"
            "Expected 502 Bad Gateway (503 or 504 would do): a card saying cards are "
            "unavailable, never a 500 and never a card the service did not send (nor the one it "
            "sent before it failed).",
            pytrace=False,
        )


def test_the_view_is_async(assert_async_view):
    assert_async_view("/members/1/card/")
