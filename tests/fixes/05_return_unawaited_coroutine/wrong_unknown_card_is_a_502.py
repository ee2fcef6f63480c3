"""Wrong: awaits the helper, and drops the 404 branch as "raise_for_status handles it". An
unknown card now says the members service is down (502): the front desk looks for an outage
instead of a stale card."""

import httpx
from django.http import HttpResponse
from django.utils.html import format_html

MEMBERS_SERVICE = "http://members.example/members/{id}"


async def render_card(member_id):
    """The member's card for the check-in screen, as an HTML response."""
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(MEMBERS_SERVICE.format(id=member_id))
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
    return await render_card(member_id)
