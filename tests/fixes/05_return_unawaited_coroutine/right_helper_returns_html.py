"""Right: the async helper returns the card's HTML and its status, and the view awaits it and
builds the response itself."""

import httpx
from django.http import HttpResponse
from django.utils.html import format_html

MEMBERS_SERVICE = "http://members.example/members/{id}"


async def card_html(member_id):
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(MEMBERS_SERVICE.format(id=member_id))
        if response.status_code == 404:
            return "<p>Unknown card.</p>", 404
        response.raise_for_status()
        member = response.json()
    except (httpx.HTTPError, ValueError):
        return "<p>Cards are unavailable.</p>", 502
    html = format_html(
        '<div class="card"><h2>{}</h2><p>Member since {}</p></div>',
        member["name"],
        member["since"],
    )
    return html, 200


async def member_card(request, member_id):
    html, status = await card_html(member_id)
    return HttpResponse(html, status=status)
