"""What a browser sends back to the site with a POST: Django's CSRF cookie and token.

``kata_project`` runs the middleware of every project made by ``startproject``, so its
``CsrfViewMiddleware`` refuses (403) a POST, PUT, PATCH or DELETE that lacks them. A page of
the site sets the ``csrftoken`` cookie; the page's script sends it back with each unsafe
request as the ``X-CSRFToken`` header, as Django's documentation shows, and the browser adds
the page's ``Origin``. The harness's requests are that browser's (in-process, served, and
under ``make load``). A call from another service (a webhook) has none of it: the tests say
``browser=False``, and the view must be exempt to take it.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Mapping

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Django's defaults (CSRF_COOKIE_NAME, CSRF_HEADER_NAME), which kata_project keeps.
COOKIE_NAME = "csrftoken"
HEADER_NAME = "x-csrftoken"
# The secret's length and alphabet are Django's (CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS):
# the middleware refuses a cookie of any other shape.
_SECRET_LENGTH = 32
_SECRET_CHARS = string.ascii_letters + string.digits


def new_token() -> str:
    """A CSRF secret as the site would set it in a cookie."""
    return "".join(secrets.choice(_SECRET_CHARS) for _ in range(_SECRET_LENGTH))


# The harness's browser: one cookie for the whole run, as one browser keeps it.
BROWSER_TOKEN = new_token()


def browser_headers(
    method: str, headers: Mapping[str, str], origin: str, token: str = BROWSER_TOKEN
) -> dict[str, str]:
    """``headers`` (names in lower case) with what a page of the site at ``origin`` sends
    along with ``method``: for an unsafe method, the CSRF cookie (beside any other cookie),
    the same token in the header, and the page's origin. What ``headers`` set stays."""
    sent = {name.lower(): value for name, value in headers.items()}
    if method.upper() not in UNSAFE_METHODS:
        return sent
    cookie = f"{COOKIE_NAME}={token}"
    sent["cookie"] = f"{sent['cookie']}; {cookie}" if sent.get("cookie") else cookie
    sent.setdefault(HEADER_NAME, token)
    sent.setdefault("origin", origin)
    return sent
