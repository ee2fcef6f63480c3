"""Wrong: awaits the card, but starts a task to warm the member's photo and never waits for
it or keeps it: the task is still running after the card is sent."""

import asyncio

import httpx
from django.http import HttpResponse
from django.utils.html import format_html

MEMBERS_SERVICE = "http://members.example/members/{id}"


async def warm_photo(member_id):
    """Fetch the member's photo ahead of the screen asking for it."""
    await asyncio.sleep(0.2)


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


async def member_card(request, member_id):
    # render_card is async: calling it only creates a coroutine. Await it to run it and
    # get the HttpResponse it builds; a view must return the response, not the coroutine.
    asyncio.create_task(warm_photo(member_id))
    return await render_card(member_id)
