"""Wrong: turns the view into a plain def that runs the helper with async_to_sync: the
card shows, but every check-in now takes a thread, and the view is no longer async."""

import httpx
from asgiref.sync import async_to_sync
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


def member_card(request, member_id):
    return async_to_sync(render_card)(member_id)
