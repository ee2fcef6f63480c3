"""Wrong: fetches the member with the sync client in a pool of one thread: the loop stays
free, but at the morning rush every card waits for the one scanned before it."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx
from django.http import HttpResponse
from django.utils.html import format_html

MEMBERS_SERVICE = "http://members.example/members/{id}"
POOL = ThreadPoolExecutor(max_workers=1)


def fetch_member(member_id):
    return httpx.get(MEMBERS_SERVICE.format(id=member_id), timeout=5)


async def member_card(request, member_id):
    loop = asyncio.get_running_loop()
    try:
        response = await loop.run_in_executor(POOL, fetch_member, member_id)
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
