"""A kata's load scenario: what ``make serve`` suggests and ``make load`` fires, and what
the fake upstream answers meanwhile. It is the optional ``[load]`` table of kata.toml::

    [load]
    path = "/prices/convert/?amount=10&from=EUR&to=USD"   # the request a burst repeats
    method = "GET"                           # optional; POST sends ``body`` as JSON
    body = {skus = ["A1", "B2"]}             # optional, POST only
    burst = 50                               # optional: requests at once unless BURST= says
    warm_up = true                           # optional: one request before the burst
    probe = "/health/"                       # optional: another page asked for meanwhile
    expected = [504]                         # optional: statuses besides 2xx that are right
    measure = "requests_per_second"          # optional: what shows the lesson (see below)
    cheap_http_clients = true                # optional, true by default (see below)
    middleware = ["katas.29_x.middleware.M"]  # optional: added to the site's, as in the tests
    login = "ada"                            # optional: requests come with ada's session
    password_check = 0.2                     # optional: seconds of CPU a password check costs

    [[load.seed]]                            # optional: rows in the site's own database
    model = "kata19.Book"                    # app_label.Model; its tables are made for the run
    rows = [{title = "Emma {n}", author = "Austen", year = 1815}]
    copies = 1                               # optional: the rows this many times, {n} counting

    [[load.upstream]]                        # one table per upstream endpoint the view calls
    url = "http://rates.example/latest"      # plain http://<service>.example/<path>
    method = "GET"                           # optional, GET by default
    latency = 0.2                            # optional: seconds per call, like a network trip
    json = {base = "EUR", rates = {USD = 1.1}}   # optional: the JSON payload ({} by default)
    status = 200                             # optional
    json_text = '{"next": null}'             # optional, instead of json: what TOML cannot say
    fails_first = 0                          # optional: 503s on each connection before that

A route's URL may end in ``*`` (``http://pricing.example/prices/*``: every path under it),
or carry a query (``?page=2``: only that query; a route without one takes any query).

Only a kata whose lesson shows over HTTP (throughput, latency under concurrent requests,
what reaches the services) has one; ``make load`` on any other says that its lesson is not
about load. ``measure`` names the figure the starter/solution ratio is taken of: one of
``MEASURES``. Skip the warm-up where the first request changes what the burst meets (a
cache it fills).

``cheap_http_clients``: as in the tests (``dojo.harness.costs``), the server's httpx clients share
one SSL context, so a view that creates a client per request is not slowed by loading the
CA bundle each time (the fake upstream speaks no TLS). Set it to false in a kata whose
lesson is what creating a client costs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

# The same default as the tests' upstream fake (dojo.harness.upstream), which imports pytest: the
# catalog, and so every command, must not.
DEFAULT_LATENCY = 0.2
MAX_LATENCY = 10.0
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
DEFAULT_BURST = 50
MAX_BURST = 1000
LOAD_METHODS = ("GET", "POST")
# What a ratio can be taken of; for every figure but the first, less is better.
MEASURES = (
    "requests_per_second",
    "latency",
    "first_byte",
    "upstream_calls",
    "upstream_in_flight",
    "held_threads",
    "loop_stall",
    "probe_latency",
)
SCENARIO_KEYS = {
    "path",
    "method",
    "body",
    "burst",
    "warm_up",
    "measure",
    "upstream",
    "cheap_http_clients",
    "middleware",
    "seed",
    "login",
    "password_check",
    "probe",
    "expected",
}
MAX_PASSWORD_CHECK = 2.0
SEED_KEYS = {"model", "rows", "copies"}
MAX_COPIES = 1000
ROUTE_KEYS = {"url", "method", "latency", "json", "json_text", "status", "fails_first"}
MAX_FAILS_FIRST = 10


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
    query: str = ""
    fails_first: int = 0

    @property
    def url(self) -> str:
        return f"http://{self.host}{self.path}" + (f"?{self.query}" if self.query else "")

    @property
    def prefix(self) -> bool:
        """Whether the route takes every path under its own (its URL ends in ``*``)."""
        return self.path.endswith("*")

    def to_dict(self) -> dict[str, Any]:
        """The route as plain data, to hand to the fake upstream's process."""
        return {
            "method": self.method,
            "url": self.url,
            "latency": self.latency,
            "json": self.json,
            "status": self.status,
            "fails_first": self.fails_first,
        }


@dataclass(frozen=True)
class SeedTable:
    """Rows of one model that the served site's database starts with."""

    model: str
    rows: tuple[dict[str, Any], ...]
    copies: int = 1

    def expanded(self) -> list[dict[str, Any]]:
        """Every row, each copy with ``{n}`` in its text values replaced by its number."""
        return [
            {
                key: value.replace("{n}", str(n)) if isinstance(value, str) else value
                for key, value in row.items()
            }
            for n in range(1, self.copies + 1)
            for row in self.rows
        ]


@dataclass(frozen=True)
class LoadScenario:
    """The request a burst repeats, and the upstream endpoints the view calls meanwhile."""

    path: str
    upstream: tuple[UpstreamRoute, ...]
    cheap_http_clients: bool = True
    method: str = "GET"
    body: Any = None
    burst: int = DEFAULT_BURST
    warm_up: bool = True
    measure: str = MEASURES[0]
    middleware: tuple[str, ...] = ()
    seed: tuple[SeedTable, ...] = ()
    login: str | None = None
    password_check: float | None = None
    probe: str = ""
    expected: tuple[int, ...] = ()

    @property
    def database(self) -> bool:
        """Whether the site needs a database of its own, made and seeded for the run."""
        return bool(self.seed) or self.login is not None


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
    cheap = _flag(table, "cheap_http_clients")
    method = table.get("method", "GET")
    if method not in LOAD_METHODS:
        raise ScenarioError(f"key 'load.method' must be one of {', '.join(LOAD_METHODS)}.")
    if "body" in table and method != "POST":
        raise ScenarioError("key 'load.body' goes with method = \"POST\".")
    burst = table.get("burst", DEFAULT_BURST)
    if isinstance(burst, bool) or not isinstance(burst, int) or not 1 <= burst <= MAX_BURST:
        raise ScenarioError(f"key 'load.burst' must be a number of requests from 1 to {MAX_BURST}.")
    measure = table.get("measure", MEASURES[0])
    if measure not in MEASURES:
        raise ScenarioError(f"key 'load.measure' must be one of {', '.join(MEASURES)}.")
    middleware = table.get("middleware", [])
    if not isinstance(middleware, list) or not all(
        isinstance(name, str) and name.count(".") >= 1 for name in middleware
    ):
        raise ScenarioError("key 'load.middleware' must be a list of dotted paths to classes.")
    login = table.get("login")
    if login is not None and not isinstance(login, str):
        raise ScenarioError("key 'load.login' must be the username of a seeded user.")
    check = table.get("password_check")
    if check is not None and (
        isinstance(check, bool)
        or not isinstance(check, int | float)
        or not 0 < check <= MAX_PASSWORD_CHECK
    ):
        raise ScenarioError(
            f"key 'load.password_check' must be seconds, more than 0 and at most "
            f"{MAX_PASSWORD_CHECK:g}."
        )
    seed = table.get("seed", [])
    if not isinstance(seed, list):
        raise ScenarioError("key 'load.seed' must be an array of tables ([[load.seed]]).")
    return LoadScenario(
        path=path,
        upstream=tuple(
            parse_route(f"load.upstream[{index}]", route) for index, route in enumerate(routes)
        ),
        cheap_http_clients=cheap,
        method=method,
        body=table.get("body"),
        burst=burst,
        warm_up=_flag(table, "warm_up"),
        measure=measure,
        middleware=tuple(middleware),
        seed=tuple(parse_seed(f"load.seed[{i}]", entry) for i, entry in enumerate(seed)),
        login=login,
        password_check=None if check is None else float(check),
        probe=_probe(table),
        expected=_expected(table),
    )


def _expected(table: dict[str, Any]) -> tuple[int, ...]:
    expected = table.get("expected", [])
    if not isinstance(expected, list) or not all(
        isinstance(status, int) and not isinstance(status, bool) and 100 <= status <= 599
        for status in expected
    ):
        raise ScenarioError("key 'load.expected' must be a list of HTTP statuses, like [504].")
    return tuple(expected)


def _probe(table: dict[str, Any]) -> str:
    probe = table.get("probe", "")
    if not isinstance(probe, str) or (probe and not probe.startswith("/")):
        raise ScenarioError("key 'load.probe' must be the path of another page, like '/health/'.")
    return probe


def parse_seed(key: str, table: Any) -> SeedTable:
    """One ``[[load.seed]]`` table."""
    if not isinstance(table, dict):
        raise ScenarioError(f"key '{key}' must be a table.")
    _no_stray_keys(key, table, SEED_KEYS)
    model = table.get("model")
    if not isinstance(model, str) or model.count(".") != 1:
        raise ScenarioError(f"key '{key}.model' must be app_label.Model, like 'kata19.Book'.")
    rows = table.get("rows")
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise ScenarioError(f"key '{key}.rows' must be an array of tables, one per row.")
    copies = table.get("copies", 1)
    if isinstance(copies, bool) or not isinstance(copies, int) or not 1 <= copies <= MAX_COPIES:
        raise ScenarioError(f"key '{key}.copies' must be a number from 1 to {MAX_COPIES}.")
    return SeedTable(model=model, rows=tuple(rows), copies=copies)


def _flag(table: dict[str, Any], key: str) -> bool:
    value = table.get(key, True)
    if not isinstance(value, bool):
        raise ScenarioError(f"key 'load.{key}' must be true or false.")
    return value


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
    fails_first = table.get("fails_first", 0)
    if (
        isinstance(fails_first, bool)
        or not isinstance(fails_first, int)
        or not 0 <= fails_first <= MAX_FAILS_FIRST
    ):
        raise ScenarioError(
            f"key '{key}.fails_first' must be a number of calls from 0 to {MAX_FAILS_FIRST}."
        )
    return UpstreamRoute(
        method=method,
        host=parts.hostname,
        path=parts.path or "/",
        latency=float(latency),
        json=_payload(key, table),
        status=status,
        query=parts.query,
        fails_first=fails_first,
    )


def _payload(key: str, table: dict[str, Any]) -> Any:
    """A route's JSON payload: its ``json`` value, or its ``json_text`` parsed."""
    if "json_text" not in table:
        return table.get("json", {})
    if "json" in table:
        raise ScenarioError(f"key '{key}' has both json and json_text; give one.")
    try:
        return json.loads(table["json_text"])
    except (TypeError, ValueError) as error:
        raise ScenarioError(f"key '{key}.json_text' must be JSON text ({error}).") from None


def _no_stray_keys(key: str, table: dict[str, Any], known: set[str]) -> None:
    stray = sorted(set(table) - known)
    if stray:
        raise ScenarioError(
            f"key '{key}' has unknown key(s) {', '.join(stray)}; "
            f"it knows {', '.join(sorted(known))}."
        )
