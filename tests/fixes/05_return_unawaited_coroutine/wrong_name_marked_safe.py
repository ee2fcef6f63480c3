"""Wrong: builds the card with format_html, but marks the name safe first, trusting the members
service to send clean names: a nickname with markup turns into HTML on the screen."""

import httpx
from django.http import HttpResponse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

MEMBERS_SERVICE = "http://members.example/members/{id}"


async def member_card(request, member_id):
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(MEMBERS_SERVICE.format(id=member_id))
        if response.status_code == 404:
            return HttpResponse("<p>Unknown card: please see the front desk.</p>", status=404)
        response.raise_for_status()
        member = response.json()
    except (httpx.HTTPError, ValueError):
        return HttpResponse("<p>Cards are unavailable: please see the front desk.</p>", status=502)
    return HttpResponse(
        format_html(
            '<div class="card"><h2>{}</h2><p>Member since {}</p></div>',
            mark_safe(member["name"]),
            member["since"],
        )
    )
