"""Wrong: awaits the helper, rewritten to handle error statuses from the members service and
nothing else. A refused connection, a timeout, a dropped connection or a body that is not
JSON still puts a 500 on the check-in screen: httpx.HTTPStatusError is one of many ways a
service fails."""

import httpx
from django.http import HttpResponse
from django.utils.html import format_html

MEMBERS_SERVICE = "http://members.example/members/{id}"


async def render_card(member_id):
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.get(MEMBERS_SERVICE.format(id=member_id))
    try:
        response.raise_for_status()
    except httpx.HTTPStatusError:
        status = 404 if response.status_code == 404 else 502
        return HttpResponse("<p>No card.</p>", status=status)
    member = response.json()
    return HttpResponse(
        format_html(
            '<div class="card"><h2>{}</h2><p>Member since {}</p></div>',
            member["name"],
            member["since"],
        )
    )


async def member_card(request, member_id):
    return await render_card(member_id)
