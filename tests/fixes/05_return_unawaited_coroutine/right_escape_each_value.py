"""Right: awaits the helper, which builds the card with an f-string but escapes every value
from the members service first, as format_html does."""

import httpx
from django.http import HttpResponse
from django.utils.html import escape

MEMBERS_SERVICE = "http://members.example/members/{id}"


async def render_card(member_id):
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(MEMBERS_SERVICE.format(id=member_id))
        if response.status_code == 404:
            return HttpResponse("<p>Unknown card.</p>", status=404)
        response.raise_for_status()
        member = response.json()
    except httpx.TimeoutException:
        return HttpResponse("<p>The members service is slow today.</p>", status=504)
    except (httpx.HTTPError, ValueError):
        return HttpResponse("<p>Cards are unavailable.</p>", status=502)
    name, since = escape(member["name"]), escape(member["since"])
    return HttpResponse(f'<div class="card"><h2>{name}</h2><p>Member since {since}</p></div>')


async def member_card(request, member_id):
    return await render_card(member_id)
