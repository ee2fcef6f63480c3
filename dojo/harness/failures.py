"""The ways a real upstream service fails, so a view's error handling meets all of them.

A view that catches only ``httpx.HTTPStatusError`` passes a test whose fake answers 503, and
still turns the page into a 500 when the service times out. So the harness keeps one
catalogue of realistic failures, and a kata test that takes the ``upstream_failure``
argument runs once per entry: error statuses with a JSON body and with a proxy's HTML page,
a body that is not valid JSON, a refused connection, timeouts while connecting and while
reading, and a connection dropped before the answer.

``FakeRoute.breaks(failure)`` makes a route fail one of these ways.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest

_PROXY_PAGE = (
    "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n"
    "<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)


@dataclass(frozen=True)
class Failure:
    """One way an upstream call fails: an answer that is no good, or no answer at all."""

    name: str
    says: str
    status: int = 200
    content_type: str = "application/json"
    body: str = ""
    error: type[httpx.TransportError] | None = None
    message: str = ""

    def __str__(self) -> str:
        return self.says

    def answer(self, request: httpx.Request) -> httpx.Response:
        """The fake's answer to ``request``, or the transport error a client would raise."""
        if self.error is not None:
            raise self.error(self.message, request=request)
        return httpx.Response(
            self.status,
            content=self.body.encode(),
            headers={"content-type": self.content_type},
            request=request,
        )


def _html(status: int, reason: str) -> Failure:
    return Failure(
        f"status_{status}_html",
        f"answered {status} {reason} with an HTML page (a proxy in front of it)",
        status=status,
        content_type="text/html",
        body=_PROXY_PAGE.format(status=status, reason=reason),
    )


FAILURES: tuple[Failure, ...] = (
    Failure(
        "status_500_json",
        "answered 500 Internal Server Error with a JSON error",
        status=500,
        body='{"error": "internal server error"}',
    ),
    Failure(
        "status_503_json",
        'answered 503 Service Unavailable with a maintenance notice in JSON (no "error" key)',
        status=503,
        # What the status says is what counts: a view that looks for an "error" in the body
        # takes this notice for an answer.
        body='{"status": "down for maintenance", "retry_after": 30}',
    ),
    _html(502, "Bad Gateway"),
    _html(504, "Gateway Time-out"),
    Failure(
        "malformed_json",
        "answered 200 with a body cut off half-way, not valid JSON",
        body='{"data": {"id": 4417, "items": [{"na',
    ),
    Failure(
        "connect_refused",
        "refused the connection (httpx.ConnectError)",
        error=httpx.ConnectError,
        message="[Errno 111] Connection refused",
    ),
    Failure(
        "connect_timeout",
        "did not accept the connection in time (httpx.ConnectTimeout)",
        error=httpx.ConnectTimeout,
        message="timed out while connecting",
    ),
    Failure(
        "read_timeout",
        "accepted the request and never answered in time (httpx.ReadTimeout)",
        error=httpx.ReadTimeout,
        message="timed out while waiting for the answer",
    ),
    Failure(
        "dropped_connection",
        "closed the connection without answering (httpx.RemoteProtocolError)",
        error=httpx.RemoteProtocolError,
        message="Server disconnected without sending a response.",
    ),
)


def failure_named(name: str) -> Failure:
    """The failure called ``name``; a wrong name lists the right ones."""
    for failure in FAILURES:
        if failure.name == name:
            return failure
    names = ", ".join(failure.name for failure in FAILURES)
    raise ValueError(f"No upstream failure is called {name!r}; the catalogue has: {names}.")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test that takes ``upstream_failure`` runs once for each way a service fails."""
    if "upstream_failure" in metafunc.fixturenames:
        metafunc.parametrize(
            "upstream_failure", FAILURES, ids=[failure.name for failure in FAILURES]
        )
