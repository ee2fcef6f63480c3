"""Wrong: awaits the helper, which keeps every card it builds and shows the last one, with a
200, when the members service fails. The door screen looks fine while the service is down,
and shows a name the member may have changed since: the card should say cards are
unavailable."""

import httpx
from django.http import HttpResponse
from django.utils.html import format_html

MEMBERS_SERVICE = "http://members.example/members/{id}"
last_cards = {}


async def render_card(member_id):
    """The member's card for the check-in screen, as an HTML response."""
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(MEMBERS_SERVICE.format(id=member_id))
        if response.status_code == 404:
            return HttpResponse("<p>Unknown card: please see the front desk.</p>", status=404)
        response.raise_for_status()
        member = response.json()
    except (httpx.HTTPError, ValueError):
        if member_id in last_cards:
            return HttpResponse(last_cards[member_id])
        return HttpResponse("<p>Cards are unavailable: please see the front desk.</p>", status=502)
    last_cards[member_id] = format_html(
        '<div class="card"><h2>{}</h2><p>Member since {}</p></div>',
        member["name"],
        member["since"],
    )
    return HttpResponse(last_cards[member_id])


async def member_card(request, member_id):
    return await render_card(member_id)
