"""Right: runs the helper as a task and awaits the task: the view still returns the response
the helper built."""

import asyncio

import httpx
from django.http import HttpResponse
from django.utils.html import format_html

MEMBERS_SERVICE = "http://members.example/members/{id}"


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
        # 502 Bad Gateway: the members service failed, not this server.
        return HttpResponse("<p>Cards are unavailable: please see the front desk.</p>", status=502)
    return HttpResponse(
        format_html(
            '<div class="card"><h2>{}</h2><p>Member since {}</p></div>',
            member["name"],
            member["since"],
        )
    )


async def member_card(request, member_id):
    card = asyncio.create_task(render_card(member_id))
    return await card
