"""The member card: fetched from the members service, shown as an HTML card."""

import pytest

NAMES = ["Ada Okafor", "Björn Berg", "Chen Wei", "Dana Kowalski", "Emeka Obi", "Farah Haddad"]


@pytest.fixture
def member(upstream, rng):
    """A member of the gym, different on every run, served by the fake members service."""
    member_id = rng.randint(100, 9999)
    data = {"id": member_id, "name": rng.choice(NAMES), "since": rng.randint(2005, 2025)}
    upstream.get(f"http://members.example/members/{member_id}", json=data)
    return data


async def test_card_answers_200(app, member):
    response = await app.get(f"/members/{member['id']}/card/")
    response.assert_status(200, "the member's card")


async def test_card_shows_the_member(app, member):
    response = await app.get(f"/members/{member['id']}/card/")
    response.assert_status(200, "the member's card")
    expected = [member["name"], f"Member since {member['since']}"]
    missing = [text for text in expected if text not in response.text]
    if missing:
        pytest.fail(
            f"{response.request_line} showed this card:\n    {response.text[:300]!r}\n"
            f"Expected it to show {' and '.join(repr(text) for text in missing)}, "
            "from the members service.",
            pytrace=False,
        )
    content_type = response.headers.get("content-type", "(none)")
    if not content_type.startswith("text/html"):
        pytest.fail(
            f"{response.request_line} answered with Content-Type {content_type!r}; "
            "expected 'text/html', an HTML card.",
            pytrace=False,
        )


def test_the_view_is_async(assert_async_view):
    assert_async_view("/members/1/card/")
