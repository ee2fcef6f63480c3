"""Right: a helper that returns the member or None for an unknown card and raises for
anything else; the view awaits it and builds the card with escape()."""

import httpx
from django.http import HttpResponse
from django.utils.html import escape

MEMBERS_SERVICE = "http://members.example/members/{id}"


class MembersDown(Exception):
    pass


async def fetch_member(member_id):
    try:
        async with httpx.AsyncClient(timeout=httpx.Timeout(5.0)) as client:
            response = await client.get(MEMBERS_SERVICE.format(id=member_id))
    except httpx.TransportError as error:
        raise MembersDown from error
    match response.status_code:
        case httpx.codes.OK:
            try:
                return response.json()
            except ValueError as error:
                raise MembersDown from error
        case httpx.codes.NOT_FOUND:
            return None
        case _:
            raise MembersDown(response.status_code)


async def member_card(request, member_id):
    try:
        member = await fetch_member(member_id)
    except MembersDown:
        return HttpResponse("<p>Cards are unavailable right now.</p>", status=503)
    if member is None:
        return HttpResponse("<p>Unknown card.</p>", status=404)
    name, since = escape(member["name"]), escape(member["since"])
    return HttpResponse(f'<div class="card"><h2>{name}</h2><p>Member since {since}</p></div>')
