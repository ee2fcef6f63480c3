"""Wrong: remembers the cards the members service did not know, to spare it repeated
lookups: a member who registers after a first failed scan stays unknown for good."""

import httpx
from django.http import HttpResponse
from django.utils.html import format_html

MEMBERS_SERVICE = "http://members.example/members/{id}"
UNKNOWN = set()


def unknown_card():
    return HttpResponse("<p>Unknown card: please see the front desk.</p>", status=404)


async def member_card(request, member_id):
    if member_id in UNKNOWN:
        return unknown_card()
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(MEMBERS_SERVICE.format(id=member_id))
        if response.status_code == 404:
            UNKNOWN.add(member_id)
            return unknown_card()
        response.raise_for_status()
        member = response.json()
    except (httpx.HTTPError, ValueError):
        return HttpResponse("<p>Cards are unavailable: please see the front desk.</p>", status=502)
    return HttpResponse(
        format_html(
            '<div class="card"><h2>{}</h2><p>Member since {}</p></div>',
            member["name"],
            member["since"],
        )
    )
