"""Right: awaits the helper, which renders the card with a Django template: autoescaping
shows the member's name as text, whatever it holds."""

import httpx
from django.http import HttpResponse
from django.template import engines

MEMBERS_SERVICE = "http://members.example/members/{id}"
CARD = engines["django"].from_string(
    '<div class="card"><h2>{{ member.name }}</h2><p>Member since {{ member.since }}</p></div>'
)


async def render_card(member_id):
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(MEMBERS_SERVICE.format(id=member_id))
        if response.status_code == 404:
            return HttpResponse("<p>Unknown card.</p>", status=404)
        response.raise_for_status()
        member = response.json()
    except (httpx.HTTPError, ValueError):
        return HttpResponse("<p>Cards are unavailable.</p>", status=503)
    return HttpResponse(CARD.render({"member": member}))


async def member_card(request, member_id):
    response = await render_card(member_id)
    return response
