"""Set what library calls cost in a kata test, so a kata measures its own lesson only.

Two costs get in the way of the event-loop katas, in opposite directions:

- Creating an ``httpx`` client costs about 30 ms of CPU, on the loop: it loads the CA
  bundle into a new SSL context (see FACTS.md). Five created in a burst hold the loop for
  0.15 s, so a correct fix (``async with httpx.AsyncClient()`` per request) would look
  like a blocked loop. The upstream fake never opens a TLS connection, so
  ``cheap_http_clients`` lets every client share one SSL context, in every kata test by
  default. (What a client per request costs is a lesson of its own: that kata says
  ``cheap_http_clients = false`` in its kata.toml.)
- Django's password hasher costs whatever the machine makes of 1.5 million PBKDF2
  rounds: about 0.8 s here, half that on a fast laptop. ``slow_password_hashing`` tunes
  the rounds so that one check costs a known amount of CPU on this machine, long enough
  to stall the loop clearly and short enough for a fast suite. Tests that do not measure
  hashing use ``fast_password_hashing`` (MD5, as Django's docs advise for tests).
"""

from __future__ import annotations

import functools
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpcore  # noqa: F401  (imported by the first client otherwise, inside a test)
import httpx
import httpx._transports.default as httpx_transports
import pytest

from dojo.harness.config import kata_folder, kata_of
from dojo.harness.servermode import ask_site, server_mode, site_for, use_settings
from dojo.server import passwords

# CPU time of one password check under slow_password_hashing.
PASSWORD_CHECK_COST = 0.3


@pytest.fixture(autouse=True)
def _dojo_client_cost(request: pytest.FixtureRequest) -> None:
    """Kata tests get cheap clients, unless the kata.toml says the lesson is their cost
    (``cheap_http_clients = false``)."""
    kata = kata_folder(request.node.path)
    if kata is None:
        return
    config = kata_of(kata)
    if config is None or config.cheap_http_clients:
        request.getfixturevalue("cheap_http_clients")


@pytest.fixture
def cheap_http_clients(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """httpx clients share one SSL context in this test, so creating one costs
    microseconds, not 30 ms of CPU on the event loop."""
    real = httpx.create_ssl_context
    shared = _default_ssl_context()

    def create_ssl_context(
        verify: ssl.SSLContext | str | bool = True,
        cert: Any = None,
        trust_env: bool = True,
    ) -> ssl.SSLContext:
        if verify is True and cert is None:
            return shared
        return real(verify=verify, cert=cert, trust_env=trust_env)

    monkeypatch.setattr(httpx_transports, "create_ssl_context", create_ssl_context)
    httpx.Client().close()  # the first client of a process costs more: not inside a test
    yield


@dataclass
class PasswordHashing:
    """What ``slow_password_hashing`` set up: the CPU cost of one password check, and when
    each check ran (perf_counter intervals, from whichever thread or process ran it)."""

    cost: float
    served_at: int | None = None  # in server mode, the port of the site that checks

    @property
    def checks(self) -> list[tuple[float, float]]:
        if self.served_at is None:
            return list(passwords.CHECKS)
        # An inside report: a check the site hides cannot make a test pass, as the loop
        # held by it is measured from outside.
        _, checks = ask_site(self.served_at, passwords.CHECKS_PATH)
        return [(float(start), float(end)) for start, end in checks]


@pytest.fixture
def fast_password_hashing(request: pytest.FixtureRequest) -> None:
    """Django hashes passwords with its fastest hasher (MD5): for tests that check what a
    login answers, not what the hashing costs. In server mode the served site does too."""
    use_settings(request, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


@pytest.fixture
def slow_password_hashing(request: pytest.FixtureRequest) -> PasswordHashing:
    """Django hashes passwords with PBKDF2 tuned so that one check costs about
    PASSWORD_CHECK_COST seconds of CPU on this machine; ``.checks`` says when each ran.
    In server mode the served site does too, and says when."""
    use_settings(request, **passwords.calibrated(PASSWORD_CHECK_COST))
    passwords.CHECKS.clear()
    if not server_mode(request.config):
        return PasswordHashing(PASSWORD_CHECK_COST)
    port = site_for(request).port
    ask_site(port, passwords.CHECKS_PATH, {})  # the checks of earlier tests are not this one's
    return PasswordHashing(PASSWORD_CHECK_COST, served_at=port)


@functools.cache
def _default_ssl_context() -> ssl.SSLContext:
    return httpx.create_ssl_context()
