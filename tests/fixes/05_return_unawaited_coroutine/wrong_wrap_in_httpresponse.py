"""Wrong: wraps the coroutine in an HttpResponse; the 500 is gone, but the card shows
'<coroutine object render_card ...>' and the member is never fetched."""

import httpx
from django.http import HttpResponse
from django.utils.html import format_html

MEMBERS_SERVICE = "http://members.example/members/{id}"


async def render_card(member_id):
    async with httpx.AsyncClient() as client:
        response = await client.get(MEMBERS_SERVICE.format(id=member_id))
    member = response.json()
    return HttpResponse(
        format_html(
            '<div class="card"><h2>{}</h2><p>Member since {}</p></div>',
            member["name"],
            member["since"],
        )
    )


async def member_card(request, member_id):
    return HttpResponse(render_card(member_id))
