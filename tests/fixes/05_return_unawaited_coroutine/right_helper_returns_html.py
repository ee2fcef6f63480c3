"""Right: the async helper returns the card's HTML, and the view awaits it and builds the
response itself."""

import httpx
from django.http import HttpResponse
from django.utils.html import format_html

MEMBERS_SERVICE = "http://members.example/members/{id}"


async def card_html(member_id):
    async with httpx.AsyncClient() as client:
        response = await client.get(MEMBERS_SERVICE.format(id=member_id))
    member = response.json()
    return format_html(
        '<div class="card"><h2>{}</h2><p>Member since {}</p></div>',
        member["name"],
        member["since"],
    )


async def member_card(request, member_id):
    html = await card_html(member_id)
    return HttpResponse(html)
