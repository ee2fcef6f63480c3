"""Wrong: makes render_card a plain function with the sync httpx client, so the view can
return what it gives. The card shows, but the request to the members service now blocks the
event loop for the whole round trip: every other check-in waits meanwhile."""

import httpx
from django.http import HttpResponse
from django.utils.html import format_html

MEMBERS_SERVICE = "http://members.example/members/{id}"


def render_card(member_id):
    try:
        response = httpx.get(MEMBERS_SERVICE.format(id=member_id), timeout=5)
        if response.status_code == 404:
            return HttpResponse("<p>Unknown card: please see the front desk.</p>", status=404)
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


async def member_card(request, member_id):
    return render_card(member_id)
