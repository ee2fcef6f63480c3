"""A kata's load scenario: what ``make serve`` suggests and ``make load`` fires, and what
the fake upstream answers meanwhile. It is the optional ``[load]`` table of kata.toml::

    [load]
    path = "/prices/convert/?amount=10&from=EUR&to=USD"   # the request a burst repeats
    cheap_http_clients = true                # optional, true by default (see below)

    [[load.upstream]]                        # one table per upstream endpoint the view calls
    url = "http://rates.example/latest"      # plain http://<service>.example/<path>
    method = "GET"                           # optional, GET by default
    latency = 0.2                            # optional: seconds per call, like a network trip
    json = {base = "EUR", rates = {USD = 1.1}}   # optional: the JSON payload ({} by default)
    status = 200                             # optional

Only a kata whose lesson shows over HTTP (throughput, latency under concurrent requests)
has one; ``make load`` on any other says that its lesson is not about load.

``cheap_http_clients``: as in the tests (``dojo.costs``), the server's httpx clients share
one SSL context, so a view that creates a client per request is not slowed by loading the
CA bundle each time (the fake upstream speaks no TLS). Set it to false in a kata whose
lesson is what creating a client costs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

# The same default as the tests' upstream fake (dojo.upstream), which imports pytest: the
# catalog, and so every command, must not.
DEFAULT_LATENCY = 0.2
MAX_LATENCY = 10.0
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
SCENARIO_KEYS = {"path", "upstream", "cheap_http_clients"}
ROUTE_KEYS = {"url", "method", "latency", "json", "status"}


class ScenarioError(ValueError):
    """A ``[load]`` table of the wrong shape; the message names the key."""


@dataclass(frozen=True)
class UpstreamRoute:
    """One upstream endpoint the fake upstream server plays."""

    method: str
    host: str
    path: str
    latency: float
    json: Any
    status: int

    @property
    def url(self) -> str:
        return f"http://{self.host}{self.path}"

    def to_dict(self) -> dict[str, Any]:
        """The route as plain data, to hand to the fake upstream's process."""
        return {
            "method": self.method,
            "url": self.url,
            "latency": self.latency,
            "json": self.json,
            "status": self.status,
        }


@dataclass(frozen=True)
class LoadScenario:
    """The request a burst repeats, and the upstream endpoints the view calls meanwhile."""

    path: str
    upstream: tuple[UpstreamRoute, ...]
    cheap_http_clients: bool = True


def parse_scenario(table: Any) -> LoadScenario | None:
    """The scenario of a kata.toml's ``[load]`` table (None when there is none)."""
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ScenarioError("key 'load' must be a table ([load]).")
    _no_stray_keys("load", table, SCENARIO_KEYS)
    path = table.get("path")
    if not isinstance(path, str) or not path.startswith("/"):
        raise ScenarioError(
            "key 'load.path' must be the path to request, starting with '/', like '/slow/'."
        )
    routes = table.get("upstream", [])
    if not isinstance(routes, list):
        raise ScenarioError("key 'load.upstream' must be an array of tables ([[load.upstream]]).")
    cheap = table.get("cheap_http_clients", True)
    if not isinstance(cheap, bool):
        raise ScenarioError("key 'load.cheap_http_clients' must be true or false.")
    return LoadScenario(
        path=path,
        upstream=tuple(
            parse_route(f"load.upstream[{index}]", route) for index, route in enumerate(routes)
        ),
        cheap_http_clients=cheap,
    )


def parse_route(key: str, table: Any) -> UpstreamRoute:
    """One ``[[load.upstream]]`` table, or plain data from ``UpstreamRoute.to_dict``."""
    if not isinstance(table, dict):
        raise ScenarioError(f"key '{key}' must be a table.")
    _no_stray_keys(key, table, ROUTE_KEYS)
    url = table.get("url")
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme != "http" or not parts.hostname or parts.port:
        raise ScenarioError(
            f"key '{key}.url' must be a plain http:// URL with no port, "
            f"like 'http://rates.example/latest', not {url!r}."
        )
    method = table.get("method", "GET")
    if method not in METHODS:
        raise ScenarioError(f"key '{key}.method' must be one of {', '.join(METHODS)}.")
    latency = table.get("latency", DEFAULT_LATENCY)
    if (
        isinstance(latency, bool)
        or not isinstance(latency, int | float)
        or not (0 <= latency <= MAX_LATENCY)
    ):
        raise ScenarioError(
            f"key '{key}.latency' must be a number of seconds from 0 to {MAX_LATENCY:g}."
        )
    status = table.get("status", 200)
    if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
        raise ScenarioError(f"key '{key}.status' must be an HTTP status, like 200.")
    return UpstreamRoute(
        method=method,
        host=parts.hostname,
        path=parts.path or "/",
        latency=float(latency),
        json=table.get("json", {}),
        status=status,
    )


def _no_stray_keys(key: str, table: dict[str, Any], known: set[str]) -> None:
    stray = sorted(set(table) - known)
    if stray:
        raise ScenarioError(
            f"key '{key}' has unknown key(s) {', '.join(stray)}; "
            f"it knows {', '.join(sorted(known))}."
        )
