"""The times a kata's README gives for its bug hold for the starter as shipped.

A README draws the bug as a table of times: "0.6 s | answers". Those times are the earliest
a request can be answered, given the pauses and latencies the README names; on a busy
machine, or when the loop turns to another request first, answers come later, never
sooner. So each kata below is served as shipped (its committed starter, whatever a learner
did to katas/), in a child process, with the README's latencies, and every answer the table
names is checked: no sooner than the table says (less a tenth, for the clock), and the last
not so much later than the table's last that the table misleads (three times its time, plus
1.5 s for a busy machine).

A table's claims are read from its client columns: a cell that says the request "answers"
(or is "answered") at that row's time. Only the first table with a "time" column in the
README's concept is read: it draws the bug, and the ones after it draw the fix.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from dojo.course.shipped import shipped_starters
from tests.fakekata import REPO

# A measured answer may come this much before the table's time: the loop's timers may fire
# a little early, and a table's earliest time takes the other requests to be ready at the
# first await (they nearly always are).
EARLY = 0.9
# ...and this much after it before the table misleads: answers wait for the loop, and a
# loaded machine (two cores, two busy loops beside the tests) stretches every step.
LATE_FACTOR = 3.0
LATE_SLACK = 1.5
CHILD_TIMEOUT = 240

PAYMENT = {"order": 10421, "status": "paid", "amount": "49.90", "currency": "EUR"}
SIGNED_UP = {"id": 7, "email": "ana@example.org", "name": "Ana"}


def order_page(request: Any) -> dict[str, Any]:
    """One of three pages of orders, as the orders service of kata 32 serves them."""
    page = int(request.url.params["page"])
    orders = [{"id": page, "customer": "Ana", "total": "9.90"}]
    return {"orders": orders, "next_page": page + 1 if page < 3 else None}


@dataclass(frozen=True)
class Route:
    url: str
    json: Any
    latency: float
    failures: int = 0  # the first calls answer 503, as many as this
    post: bool = False


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    json: Any = None  # a POST with this body, when set


@dataclass(frozen=True)
class Scenario:
    """What the README's table describes: its clients' columns, the requests they make
    (fired together), and the services as the README times them."""

    kata: str
    columns: tuple[str, ...]
    requests: tuple[Request, ...]
    routes: tuple[Route, ...] = field(default_factory=tuple)


SCENARIOS = (
    Scenario(
        "06_sync_to_async_call_shape",
        ("request A (on the loop)", "request B (on the loop)"),
        (Request("/tickets/NOK/"),) * 2,
        (Route("http://rates.example/latest", {"rate": 11.52}, 0.4),),
    ),
    Scenario(
        "07_async_to_sync_inside_async",
        ("the view (on the event loop)",),
        (Request("/orders/10421/status/"),),
        (Route("http://orders.example/orders/10421", {"id": 10421, "status": "shipped"}, 0.1),),
    ),
    Scenario(
        "08_blocking_sleep",
        ("customer A", "customer B"),
        (Request("/orders/10421/confirmation/"),) * 2,
        (Route("http://payments.example/orders/10421/payment", PAYMENT, 0.2),),
    ),
    Scenario(
        "09_sync_http_client",
        ("visitor A", "visitor B", "visitor C"),
        (Request("/prices/convert/?amount=10&from=EUR&to=USD"),) * 3,
        (Route("http://rates.example/latest", {"base": "EUR", "rates": {"USD": 1.08}}, 0.2),),
    ),
    Scenario(
        "10_blocking_retry_backoff",
        ("checkout C",),
        (Request("/shipping/quote/?postcode=0150&weight_kg=2"),),
        (
            Route(
                "http://parcelpro.example/v2/rates",
                {"carrier": "ParcelPro", "price": "12.40", "currency": "EUR", "days": 2},
                0.05,
                failures=2,
            ),
        ),
    ),
    Scenario(
        "12_sequential_awaits",
        ("the view (awaits in a row)",),
        (Request("/trip/?city=Lisbon"),),
        (
            Route("http://weather.example/forecast", {"forecast": "sunny"}, 0.25),
            Route("http://hotels.example/search", {"hotels": ["Avenida"]}, 0.25),
            Route("http://events.example/upcoming", {"events": ["Fado night"]}, 0.25),
        ),
    ),
    Scenario(
        "15_gather_partial_failure",
        ("the view",),
        (Request("/dashboard/?user=ana"),),
        (
            Route("http://weather.example/today", {"temperature": 21}, 0.2),
            Route("http://news.example/headlines", {"headlines": []}, 0.02, failures=1),
            Route("http://stocks.example/portfolio", {"value": 1200}, 0.2),
        ),
    ),
    Scenario(
        "17_request_state_bleed",
        ("request for ana", "request for bo"),
        (Request("/account/", {"X-User": "ana"}), Request("/account/", {"X-User": "bo"})),
        (
            Route("http://profiles.example/profile", {"name": "Ana"}, 0.2),
            Route("http://orders.example/recent", {"orders": [1, 2]}, 0.2),
        ),
    ),
    Scenario(
        "18_fire_and_forget",
        ("the view",),
        (Request("/signup/", json={"email": "ana@example.org", "name": "Ana"}),),
        (
            Route("http://accounts.example/users", SIGNED_UP, 0.1, post=True),
            Route("http://mail.example/send", {"id": "m-1"}, 1.0, failures=1, post=True),
        ),
    ),
    Scenario(
        "32_streaming_sync_iterator",
        ("sync generator",),
        (Request("/orders/export.csv"),),
        (Route("http://orders.example/orders", order_page, 0.15),),
    ),
)


# Reading the README ---------------------------------------------------------------------


def concept_table(readme: str) -> list[list[str]]:
    """The first table with a "time" column in the README's concept section, as rows of
    cells (the header first)."""
    concept = readme.split("## The concept", 1)[-1].split("\n## ", 1)[0]
    rows: list[list[str]] = []
    for line in concept.splitlines():
        if line.startswith("|"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if not rows and cells[0] != "time":
                continue
            if not set("".join(cells)) <= set("-: "):
                rows.append(cells)
        elif rows:
            break
    return rows


def claimed_answers(readme: str, columns: tuple[str, ...]) -> list[tuple[float, int]]:
    """When the table says each client column's request is answered, and with which status
    (the one the cell names, or 200), earliest first."""
    header, *rows = concept_table(readme)
    missing = [column for column in columns if column not in header]
    assert not missing, f"the README's table has no column {missing} (it has {header})"
    claims = []
    for row in rows:
        at = re.fullmatch(r"(\d+(?:\.\d+)?) s", row[0])
        for column in columns:
            cell = row[header.index(column)]
            if at and re.search(r"\banswer(s|ed)\b", cell):
                status = re.search(r"\b[1-5]\d\d\b", cell)
                claims.append((float(at.group(1)), int(status.group()) if status else 200))
    return sorted(claims)


# Measuring the starter, in a child process ----------------------------------------------


def measure_all(target: Path) -> dict[str, list[tuple[float, int]]]:
    """Each scenario's answers (seconds from when its requests were fired, and status),
    earliest first, with the learner files taken from ``target`` (laid out like katas/)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kata_project.settings")
    from dojo.harness import targets

    targets.install(target)
    import django

    django.setup()
    _cheap_http_clients()
    return {scenario.kata: asyncio.run(_answer_times(scenario)) for scenario in SCENARIOS}


def _cheap_http_clients() -> None:
    """Every httpx client shares one SSL context, as in the katas' own tests: the tables
    leave out the 30 ms of CPU a new context costs (the fake never speaks TLS)."""
    import httpx._transports.default as httpx_transports

    from dojo.harness.costs import _default_ssl_context

    shared = _default_ssl_context()
    httpx_transports.create_ssl_context = lambda *args, **kwargs: shared


async def _answer_times(scenario: Scenario) -> list[tuple[float, int]]:
    from django.test import override_settings

    from dojo.harness.asgi import App
    from dojo.harness.upstream import Upstream

    fake = Upstream()
    for route in scenario.routes:
        method = "POST" if route.post else "GET"
        fake.route(method, route.url, json=route.json, latency=route.latency).fails(
            times=route.failures
        )
    urls = f"katas.{scenario.kata}.urls"
    with override_settings(ROOT_URLCONF=urls), fake.network(), App(()) as app:
        responses = await asyncio.gather(
            *(
                app.post(request.path, json=request.json, headers=request.headers)
                if request.json is not None
                else app.get(request.path, headers=request.headers)
                for request in scenario.requests
            )
        )
    fired = min(response.start for response in responses)
    return sorted((response.end - fired, response.status) for response in responses)


@pytest.fixture(scope="module")
def measured() -> Iterator[dict[str, list[list[float]]]]:
    with shipped_starters(REPO) as shipped:
        child = subprocess.run(
            [sys.executable, "-m", "tests.test_readme_timelines", str(shipped.path)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT,
            check=False,
        )
    assert child.returncode == 0, f"measuring the starters failed:\n{child.stderr[-3000:]}"
    yield json.loads(child.stdout.splitlines()[-1])


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.kata)
def test_the_readme_table_times_the_starter_truly(
    scenario: Scenario, measured: dict[str, list[list[float]]]
) -> None:
    readme = (REPO / "katas" / scenario.kata / "README.md").read_text(encoding="utf-8")
    claims = claimed_answers(readme, scenario.columns)
    assert claims, f"the README's table of {scenario.kata} says when no request is answered"
    seen = ", ".join(f"{status} at {at:.2f} s" for at, status in measured[scenario.kata])
    first = measured[scenario.kata][: len(claims)]
    assert sorted(status for _, status in claims) == sorted(int(status) for _, status in first), (
        f"{scenario.kata}: the README's table answers {[status for _, status in claims]}, "
        f"but the starter answered {seen}"
    )
    answers = [at for at, _ in first]
    for (claim, _), answer in zip(claims, answers, strict=True):
        assert answer >= claim * EARLY, (
            f"{scenario.kata}: the README's table has a request answered at {claim:.2f} s "
            f"at the earliest, but the starter answered it at {answer:.2f} s (answers: {seen})"
        )
    last = claims[-1][0]
    assert answers[-1] <= last * LATE_FACTOR + LATE_SLACK, (
        f"{scenario.kata}: the README's table has every request answered by {last:.2f} s, "
        f"but the starter took {answers[-1]:.2f} s (answers: {seen}): the table hides a wait"
    )


if __name__ == "__main__":
    print(json.dumps(measure_all(Path(sys.argv[1]))))
