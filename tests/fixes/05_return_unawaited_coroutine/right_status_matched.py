"""Right: awaits the helper, and sorts the members service's answers with match: 404 is an
unknown card, any other non-200 or a body that is not JSON is a 503, the card is escaped."""

import httpx
from django.http import HttpResponse
from django.utils.html import escape

MEMBERS_SERVICE = "http://members.example/members/{id}"


def unavailable():
    return HttpResponse("<p>Cards are down, sorry.</p>", status=503)


async def fetch_member(member_id):
    async with httpx.AsyncClient(timeout=5) as client:
        return await client.get(MEMBERS_SERVICE.format(id=member_id))


async def member_card(request, member_id):
    try:
        response = await fetch_member(member_id)
    except httpx.HTTPError:
        return unavailable()
    match response.status_code:
        case 200:
            try:
                member = response.json()
            except ValueError:
                return unavailable()
        case 404:
            return HttpResponse("<p>Unknown card.</p>", status=404)
        case _:
            return unavailable()
    return HttpResponse(
        f'<div class="card"><h2>{escape(member["name"])}</h2>'
        f"<p>Member since {escape(member['since'])}</p></div>"
    )
