"""Wrong: awaits request.auser(), but keeps each session's answer for two seconds "to spare
the header a query per page": a user deactivated, deleted or logged out by a password change
a moment ago is still greeted by name."""

import time

from django.http import JsonResponse

_answers = {}


async def whoami(request):
    key = request.session.session_key
    kept = _answers.get(key)
    if key and kept and time.monotonic() - kept[0] < 2:
        return JsonResponse(kept[1])
    user = await request.auser()
    if not user.is_authenticated:
        answer = {"authenticated": False}
    else:
        answer = {"authenticated": True, "username": user.username, "name": user.get_full_name()}
    if key:
        _answers[key] = (time.monotonic(), answer)
    return JsonResponse(answer)
