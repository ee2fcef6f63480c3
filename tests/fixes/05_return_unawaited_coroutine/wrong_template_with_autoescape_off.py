"""Wrong: renders the card with a Django template but turns autoescaping off "because the
names are already clean": a nickname's markup becomes HTML on the check-in screen."""

import httpx
from django.http import HttpResponse
from django.template import Context, Template

MEMBERS_SERVICE = "http://members.example/members/{id}"
CARD = Template(
    '<div class="card"><h2>{{ member.name }}</h2><p>Member since {{ member.since }}</p></div>'
)


async def render_card(member_id):
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(MEMBERS_SERVICE.format(id=member_id))
        if response.status_code == 404:
            return HttpResponse("<p>Unknown card: please see the front desk.</p>", status=404)
        response.raise_for_status()
        member = response.json()
    except (httpx.HTTPError, ValueError):
        return HttpResponse("<p>Cards are unavailable: please see the front desk.</p>", status=502)
    return HttpResponse(CARD.render(Context({"member": member}, autoescape=False)))


async def member_card(request, member_id):
    return await render_card(member_id)
