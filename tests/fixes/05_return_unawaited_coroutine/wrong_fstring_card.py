"""Wrong: awaits the helper, and "simplifies" format_html into an f-string on the way. Every
ordinary name looks the same, but a name with < in it becomes HTML: a member who calls
herself "<b>Dyno</b>" gets a bold card, and one with a <script> runs it on the screen."""

import httpx
from django.http import HttpResponse

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
        f'<div class="card"><h2>{member["name"]}</h2><p>Member since {member["since"]}</p></div>'
    )


async def member_card(request, member_id):
    return await render_card(member_id)
