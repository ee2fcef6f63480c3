"""make serve and make load, over real sockets, on a small fake checkout.

The fake kata 97 calls an upstream service: its starter with a sync client (the event
loop blocks for every call), its solution with an async one. Every test that starts a
server stops it, and the fixtures check that no process is left in the fake checkout,
even when a test fails.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from django.apps import apps

from dojo.cli.commands import load as load_command
from dojo.course.catalog import KataConfigError, load_kata, load_katas
from dojo.course.scenario import LoadScenario, UpstreamRoute, parse_route, parse_scenario
from dojo.errors import DojoError
from dojo.harness.upstream import peak_overlap
from dojo.server.fakeupstream import FakeUpstream
from dojo.server.kata_site import LoopHeartbeat
from dojo.server.load import NO_ANSWER, Run, Sample, fire
from dojo.server.loaddb import SESSION_KEY
from dojo.server.loadreport import ratio, report
from dojo.server.serve import Server, Servers, listen, resolve_target
from tests.fakekata import KATA_TOML, REPO, copy_project, write_kata

LATENCY = 0.2
BURST = 5

LOAD_TABLE = f"""
[load]
path = "/hello/"

[[load.upstream]]
url = "http://greetings.example/hello"
latency = {LATENCY}
json = {{greeting = "hello"}}

[[load.upstream]]
url = "http://127.0.0.1/never-in-time"
latency = 5
"""

BLOCKING_VIEW = """\
import httpx
from django.http import JsonResponse

client = httpx.Client()


async def hello(request):
    # TODO: what does this call do to the other requests?
    return JsonResponse(client.get("http://greetings.example/hello").json())
"""

ASYNC_VIEW = """\
import httpx
from django.http import JsonResponse

client = httpx.AsyncClient()


async def hello(request):
    response = await client.get("http://greetings.example/hello")
    return JsonResponse(response.json())
"""

RAISING_VIEW = """\
async def hello(request):
    # TODO: a bad day
    raise ValueError("no greeting today")
"""

SERVE_TIMEOUT = 30


# A fake checkout, and no process left in it ------------------------------------------------


def processes_in(root: Path) -> list[int]:
    """The processes whose working directory is ``root``: the servers started there."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if Path(os.readlink(entry / "cwd")) == root:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def children_of(parent: int) -> list[int]:
    """The processes whose parent is ``parent``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                found.append(int(entry.name))
    return found


def assert_no_process_left(root: Path, among: list[int] | None = None) -> None:
    """Fail if a server still runs in ``root`` (or one of ``among`` does) after a grace
    period; kill it either way."""

    def left() -> list[int]:
        running = processes_in(root)
        return running if among is None else [pid for pid in among if pid in running]

    deadline = time.monotonic() + 6
    while (pids := left()) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    assert not pids, f"processes left running in {root}: {pids}"


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A dojo checkout with kata 97 (a load scenario), 96 (none), 95 (cannot import) and 94
    (answers 500)."""
    if not Path("/proc/self/cwd").exists():
        pytest.skip("these tests find leftover processes through /proc")
    root = copy_project(tmp_path_factory.mktemp("dojo")).resolve()
    write_kata(
        root,
        "97_blocking_call",
        view=BLOCKING_VIEW,
        solution=ASYNC_VIEW,
        toml=KATA_TOML + LOAD_TABLE,
    )
    write_kata(root, "96_no_load")
    write_kata(root, "94_raises", view=RAISING_VIEW, toml=KATA_TOML + LOAD_TABLE)
    write_kata(root, "95_broken", view="import nowhere_to_be_found  # TODO\n", solution=None)
    yield root
    assert_no_process_left(root)


@pytest.fixture(scope="module")
def solution_site(root: Path) -> Iterator[tuple[Server, Server]]:
    """Kata 97's solution served by uvicorn, and its fake upstream: (site, upstream)."""
    kata = load_kata(root / "katas" / "97_blocking_call")
    with Servers(kata, max_seconds=120, log_to_files=True) as servers:
        upstream = servers.upstream()
        site = servers.site(resolve_target(kata, "solutions"), upstream, listen(None)[0])
        upstream.wait_ready()
        site.wait_ready()
        yield site, upstream


def peak_in_view(run: Run) -> int:
    """The most requests that were inside the view at the same moment."""
    return peak_overlap([sample.view for sample in run.samples if sample.view])


# The [load] table ----------------------------------------------------------------------------


# The katas whose lesson shows under load (issue 11), and the figure that shows each one.
LOAD_LESSONS = {
    8: "requests_per_second",
    9: "requests_per_second",
    10: "requests_per_second",
    11: "loop_stall",
    12: "latency",
    13: "upstream_in_flight",
    14: "latency",
    15: "requests_per_second",
    16: "upstream_calls",
    19: "requests_per_second",
    20: "requests_per_second",
    21: "requests_per_second",
    22: "requests_per_second",
    24: "requests_per_second",
    25: "requests_per_second",
    29: "held_threads",
    31: "requests_per_second",
    32: "first_byte",
    34: "requests_per_second",
    # 1.0x, as its story says: a server's one loop never meets a second (see its kata.toml).
    35: "upstream_in_flight",
}
ISSUE_11_LOAD_KATAS = {*range(8, 17), 19, 20, 21, 22, 24, 25, 29, 31, 32, 34, 35}
UPSTREAM_URL = re.compile(r"""["'](http://[a-z0-9.-]+\.example[^"'\s]*)["']""")


def test_a_load_table_gives_the_path_and_the_upstream_routes_with_defaults() -> None:
    scenario = parse_scenario(
        {"path": "/slow/", "upstream": [{"url": "http://rates.example/latest"}]}
    )
    assert scenario == LoadScenario(
        path="/slow/",
        upstream=(UpstreamRoute("GET", "rates.example", "/latest", 0.2, {}, 200),),
    )
    assert parse_scenario(None) is None
    costly = parse_scenario({"path": "/", "cheap_http_clients": False})
    assert costly is not None and not costly.cheap_http_clients


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('path = "slow/"', "key 'load.path' must be the path to request"),
        ('path = "/s/"\nlatncy = 1', "key 'load' has unknown key(s) latncy"),
        (
            'path = "/s/"\n[[load.upstream]]\nurl = "https://rates.example/"',
            "key 'load.upstream[0].url' must be a plain http:// URL",
        ),
        (
            'path = "/s/"\n[[load.upstream]]\nurl = "http://r.example/"\nlatency = -1',
            "key 'load.upstream[0].latency' must be a number of seconds",
        ),
    ],
)
def test_a_malformed_load_table_is_named_by_file_and_key(
    tmp_path: Path, table: str, message: str
) -> None:
    kata = tmp_path / "katas" / "50_bad_load"
    kata.mkdir(parents=True)
    (kata / "kata.toml").write_text(KATA_TOML + "\n[load]\n" + table + "\n")
    with pytest.raises(KataConfigError) as error:
        load_kata(kata)
    assert "kata.toml: " in str(error.value)
    assert message in str(error.value)


def test_a_load_table_can_post_a_body_and_choose_its_burst_measure_and_middleware() -> None:
    scenario = parse_scenario(
        {
            "path": "/basket/",
            "method": "POST",
            "body": {"skus": ["A"]},
            "burst": 7,
            "warm_up": False,
            "measure": "upstream_calls",
            "middleware": ["katas.x.middleware.M"],
        }
    )
    assert scenario is not None
    assert (scenario.method, scenario.body, scenario.burst) == ("POST", {"skus": ["A"]}, 7)
    assert (scenario.warm_up, scenario.measure) == (False, "upstream_calls")
    assert scenario.middleware == ("katas.x.middleware.M",)
    seeded = parse_scenario(
        {"path": "/", "seed": [{"model": "kata1.Book", "rows": [{"t": "B{n}"}], "copies": 2}]}
    )
    assert seeded is not None and seeded.database
    assert seeded.seed[0].expanded() == [{"t": "B1"}, {"t": "B2"}]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"path": "/", "body": {}}, "key 'load.body' goes with method = \"POST\""),
        ({"path": "/", "burst": 0}, "key 'load.burst' must be a number of requests"),
        ({"path": "/", "measure": "speed"}, "key 'load.measure' must be one of"),
        ({"path": "/", "middleware": "m"}, "key 'load.middleware' must be a list"),
        ({"path": "/", "seed": [{"model": "Book", "rows": []}]}, "must be app_label.Model"),
        ({"path": "/", "password_check": 5}, "key 'load.password_check' must be seconds"),
        ({"path": "/", "probe": "health/"}, "key 'load.probe' must be the path of another page"),
        ({"path": "/", "expected": ["504"]}, "key 'load.expected' must be a list of HTTP"),
        (
            {"path": "/", "upstream": [{"url": "http://a.example/", "json_text": "{"}]},
            "key 'load.upstream[0].json_text' must be JSON text",
        ),
    ],
)
def test_a_wrong_load_setting_says_what_it_must_be(table: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_scenario(table)


def upstream_answer(fake: FakeUpstream, url: str) -> httpx.Response:
    """One GET of ``url`` answered by ``fake`` in this process, on one connection."""

    async def get() -> httpx.Response:
        transport = httpx.ASGITransport(app=fake)
        async with httpx.AsyncClient(transport=transport) as client:
            return await client.get(url)

    return asyncio.run(get())


def test_the_fake_upstream_picks_a_route_by_query_then_path_then_prefix() -> None:
    fake = FakeUpstream(
        [
            parse_route("r", {"url": "http://o.example/orders?page=2", "latency": 0, "json": 2}),
            parse_route("r", {"url": "http://o.example/orders", "latency": 0, "json": 1}),
            parse_route("r", {"url": "http://o.example/items/*", "latency": 0, "json": 3}),
            parse_route("r", {"url": "http://o.example/null", "latency": 0, "json_text": "null"}),
        ]
    )
    assert upstream_answer(fake, "http://o.example/orders?page=2").json() == 2
    assert upstream_answer(fake, "http://o.example/orders?page=3").json() == 1
    assert upstream_answer(fake, "http://o.example/items/A-1").json() == 3
    assert upstream_answer(fake, "http://o.example/null").json() is None
    assert upstream_answer(fake, "http://o.example/items").status_code == 502


def test_the_fake_upstream_fails_the_first_calls_of_a_connection_and_counts_calls() -> None:
    fake = FakeUpstream(
        [parse_route("r", {"url": "http://c.example/q", "latency": 0, "fails_first": 1})]
    )
    assert upstream_answer(fake, "http://c.example/q").status_code == 503
    assert upstream_answer(fake, "http://c.example/q").status_code == 200  # same client address
    assert upstream_answer(fake, "http://127.0.0.1/_dojo/stats").json() == {
        "calls": 2,
        "peak_in_flight": 1,
        "connections": 1,
    }
    upstream_answer(fake, "http://127.0.0.1/_dojo/reset")
    assert fake.stats.calls == 0


def run_with(label: str, **figures: object) -> Run:
    sample = Sample(0.0, 1.0, status=200, threads=figures.pop("threads", None))  # type: ignore[arg-type]
    return Run(label, "http://127.0.0.1/", [sample], 0.0, 1.0, **figures)  # type: ignore[arg-type]


def test_a_status_the_scenario_expects_is_an_answer_not_an_error() -> None:
    samples = [Sample(0.0, 0.5, status=504), Sample(0.0, 0.5, status=500)]
    run = Run("solutions/", "http://127.0.0.1/", samples, 0.0, 1.0, expected=frozenset({504}))
    assert run.errors == {"500": 1}
    assert run.requests_per_second == 1.0


def test_the_ratio_is_taken_of_the_figure_the_scenario_names() -> None:
    starter = run_with("katas/", upstream={"calls": 20, "peak_in_flight": 9})
    solution = run_with("solutions/", upstream={"calls": 1, "peak_in_flight": 3})
    assert ratio(starter, solution, "upstream_calls") == (
        "katas/ made 20.0x the upstream calls of solutions/ (20 vs 1)."
    )
    assert ratio(starter, solution, "upstream_in_flight") == (
        "katas/ kept 3.0x as many upstream calls in flight at once as solutions/ (9 vs 3)."
    )
    held = ratio(run_with("katas/", threads=50), run_with("solutions/", threads=0), "held_threads")
    assert held == (
        "katas/ held up to 50 threads waiting for async code at once where solutions/ held none."
    )


def test_every_kata_issue_11_names_has_a_load_scenario() -> None:
    assert set(LOAD_LESSONS) >= ISSUE_11_LOAD_KATAS
    with_load = {kata.number for kata in load_katas(REPO) if kata.load is not None}
    assert with_load == set(LOAD_LESSONS)


@pytest.mark.parametrize("number", sorted(LOAD_LESSONS))
def test_every_kata_whose_lesson_shows_under_load_has_a_scenario_for_its_calls(
    number: int,
) -> None:
    (kata,) = [kata for kata in load_katas(REPO) if kata.number == number]
    assert kata.load is not None, f"kata {number} has no [load] scenario"
    assert kata.load.measure == LOAD_LESSONS[number]
    code = [*kata.path.glob("*.py"), *(REPO / "solutions" / kata.name).glob("*.py")]
    urls = {
        url
        for module in code
        if not module.name.startswith("test_")
        for url in UPSTREAM_URL.findall(module.read_text())
    }
    assert urls or kata.load.database, f"kata {number} calls no service and has no database"
    for table in kata.load.seed:  # every seed row makes a row of its model
        model = apps.get_model(table.model)
        for row in table.expanded():
            model(**{key: value for key, value in row.items() if key != "password"})
    if kata.load.login is not None:
        seeded = [row for t in kata.load.seed if t.model == "auth.User" for row in t.expanded()]
        assert kata.load.login in [row["username"] for row in seeded]
    for url in urls:
        host, _, path = url.removeprefix("http://").partition("/")
        # A {placeholder} is any one segment, and a base URL may have one more added.
        pattern = re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape("/" + path)) + "(/[^/]+)?"
        assert any(
            route.host == host and re.fullmatch(pattern, route.path.replace("*", "A-1"))
            for route in kata.load.upstream
        ), f"kata {number}'s scenario has no route for {url}"


# Ports ---------------------------------------------------------------------------------------


def test_a_port_in_use_is_refused_with_the_setting_to_change() -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        with pytest.raises(DojoError, match=rf"Port {port} on 127.0.0.1 is in use.*PORT="):
            listen(port)
        sock, note = listen(None, default=port)
        with sock:
            assert sock.getsockname()[1] != port
            assert f"Port {port} is in use, so a free one was picked" in note


# The servers ---------------------------------------------------------------------------------


def test_the_fake_upstream_plays_latency_and_payload_and_names_unknown_calls(
    solution_site: tuple[Server, Server],
) -> None:
    _, upstream = solution_site
    with httpx.Client(trust_env=False) as client:
        started = time.perf_counter()
        answer = client.get(upstream.url("/hello"), headers={"Host": "greetings.example"})
        elapsed = time.perf_counter() - started
        unknown = client.get(upstream.url("/nowhere"), headers={"Host": "greetings.example"})
    assert answer.json() == {"greeting": "hello"}
    assert elapsed >= LATENCY
    assert unknown.status_code == 502
    assert "no route for GET http://greetings.example/nowhere" in unknown.json()["error"]


def test_the_site_serves_the_kata_at_the_root_and_reaches_the_fake_upstream(
    solution_site: tuple[Server, Server],
) -> None:
    site, _ = solution_site
    with httpx.Client(trust_env=False) as client:
        response = client.get(site.url("/hello/"))
    assert response.json() == {"greeting": "hello"}
    start, end = (float(value) for value in response.headers["x-dojo-view"].split())
    assert end - start >= LATENCY


def test_a_view_that_cannot_import_stops_the_start_with_its_error(
    root: Path, solution_site: tuple[Server, Server]
) -> None:
    _, upstream = solution_site
    kata = load_kata(root / "katas" / "95_broken")
    with Servers(kata, max_seconds=60, log_to_files=True) as servers:
        site = servers.site(resolve_target(kata, "katas"), upstream, listen(None)[0])
        with pytest.raises(DojoError) as error:
            site.wait_ready()
    assert "The site server stopped while starting" in str(error.value)
    assert "ModuleNotFoundError: No module named 'nowhere_to_be_found'" in str(error.value)


def test_a_server_stops_by_itself_when_its_time_is_up(root: Path) -> None:
    kata = load_kata(root / "katas" / "97_blocking_call")
    with Servers(kata, max_seconds=1.5, log_to_files=True) as servers:
        upstream = servers.upstream()
        upstream.wait_ready()
        upstream.process.wait(timeout=10)
    assert upstream.process.returncode == 0


def test_leaving_the_block_by_an_error_stops_every_server(root: Path) -> None:
    kata = load_kata(root / "katas" / "97_blocking_call")
    with pytest.raises(RuntimeError), Servers(kata, max_seconds=60, log_to_files=True) as servers:
        upstream = servers.upstream()
        upstream.wait_ready()
        raise RuntimeError("a test that fails half-way")
    assert not upstream.running


@pytest.mark.timeout(SERVE_TIMEOUT)
def test_make_serve_prints_the_url_and_curl_line_and_ctrl_c_stops_both(root: Path) -> None:
    serve = subprocess.Popen(
        [sys.executable, "-m", "dojo", "serve", "97", "--port", "0"],
        cwd=REPO,
        env={**os.environ, "DOJO_ROOT": str(root)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert serve.stdout is not None
        banner = ""
        while "Ctrl-C stops both" not in banner:
            line = serve.stdout.readline()
            assert line, f"serve ended before it served:\n{banner}"
            banner += line
        site_url = re.search(r"site +(http://127\.0\.0\.1:\d+/hello/)", banner)
        upstream_port = re.search(r"a fake, on 127\.0\.0\.1:(\d+)", banner)
        assert site_url and upstream_port, banner
        assert f"curl -s {site_url[1]}" in banner
        with httpx.Client(trust_env=False) as client:
            assert client.get(site_url[1]).json() == {"greeting": "hello"}
        servers = children_of(serve.pid)
        assert len(servers) == 2
        serve.send_signal(signal.SIGINT)
        output, _ = serve.communicate(timeout=15)
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.communicate()
    assert serve.returncode == 130
    assert "GET /hello/  200" in output  # the line printed for the request
    # The first request of all blocked the loop too, and its line says so.
    assert re.search(r"GET /hello/  200  .*\(the event loop blocked \d\.\d\d s", output)
    for port in (int(site_url[1].split(":")[2].split("/")[0]), int(upstream_port[1])):
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
    assert_no_process_left(root, among=servers)


# make load -------------------------------------------------------------------------------------


def test_the_heartbeat_sees_the_stall_of_the_request_that_starts_it() -> None:
    async def first_request() -> float:
        heartbeat = LoopHeartbeat()
        arrived = time.perf_counter()
        heartbeat.ensure_running()
        time.sleep(0.2)  # noqa: ASYNC251  (a view holding the loop before the heartbeat ran)
        await asyncio.sleep(0.05)
        return heartbeat.longest_between(arrived, time.perf_counter())

    assert asyncio.run(first_request()) >= 0.15


@pytest.mark.timeout(SERVE_TIMEOUT)
def test_load_shows_the_starter_serving_one_at_a_time_and_the_solution_all_at_once(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kata = load_kata(root / "katas" / "97_blocking_call")
    targets = [resolve_target(kata, "katas"), resolve_target(kata, "solutions")]
    starter, solution = load_command.run_targets(kata, targets, BURST, 20, None)
    assert [peak_in_view(starter), peak_in_view(solution)] == [1, BURST]
    assert not starter.errors and not solution.errors
    assert solution.requests_per_second > starter.requests_per_second
    assert (starter.longest_loop_stall or 0) >= LATENCY * 0.9
    text = report([starter, solution], title="legend")
    assert re.search(r"requests per second +\d+\.\d +\d+\.\d", text)
    assert re.search(r"event loop blocked, longest +\d\.\d\d s +\d\.\d\d s\n", text)
    assert re.search(rf"upstream calls in flight, most +1 +{BURST}\n", text)
    assert "threads held" not in text and "first byte" not in text  # nothing to tell here
    assert "katas/: when each request was inside the view" in text
    assert "solutions/ served " in text and "x the requests per second of katas/" in text
    assert "firing 5 requests" in capsys.readouterr().out


@pytest.mark.timeout(SERVE_TIMEOUT)
def test_load_counts_errors_and_quotes_the_last_one_with_the_learners_line(root: Path) -> None:
    kata = load_kata(root / "katas" / "94_raises")
    (run,) = load_command.run_targets(kata, [resolve_target(kata, "katas")], 3, 20, None)
    assert run.errors == {"500": 3}
    assert run.requests_per_second == 0
    assert run.last_error == (
        "ValueError: no greeting today\n"
        '    at katas/94_raises/views.py:3: raise ValueError("no greeting today")'
    )
    text = report([run], title="legend")
    assert "katas/ errors: 500 x3. The last one in the server's log:" in text


def test_load_says_when_requests_failed_because_the_server_loop_was_blocked() -> None:
    blocked = [Sample(0.0, 9.0, status=502, loop_stall=8.4) for _ in range(3)]
    never = Sample(0.0, None, problem=NO_ANSWER)
    served = Sample(0.0, 9.0, status=200, loop_stall=8.4)
    run = Run("katas/", "http://127.0.0.1/", [*blocked, never, served], 0.0, 9.0)
    text = report([run], title="legend")
    assert f"katas/ errors: 502 x3, {NO_ANSWER} x1.\nAll 4 failed requests were in the " in text
    said = " ".join(text.split())
    assert "in the server while its event loop was blocked, for up to 8.40 s at once." in said
    assert "The service did not fail them: the blocked loop did." in said
    # Failures beside a loop that was never held for long are the service's, or the view's.
    brief = [Sample(0.0, 0.5, status=502, loop_stall=0.05), Sample(0.0, 0.5, status=200)]
    text = report([Run("katas/", "http://127.0.0.1/", brief, 0.0, 0.5)], title="legend")
    assert "katas/ errors: 502 x1." in text and "blocked loop" not in text


@pytest.mark.timeout(SERVE_TIMEOUT)
@pytest.mark.parametrize("number", [13, 29])
def test_load_runs_a_kata_scenario_end_to_end_and_shows_its_lesson(number: int) -> None:
    """A POST and an upstream fan-out; the kata's middleware and the threads it holds."""
    (kata,) = [kata for kata in load_katas(REPO) if kata.number == number]
    assert kata.load is not None
    targets = [resolve_target(kata, "katas"), resolve_target(kata, "solutions")]
    starter, solution = load_command.run_targets(kata, targets, 2, 20, None)
    assert not solution.errors
    starter_figure, solution_figure = (
        run.measure(kata.load.measure) for run in (starter, solution)
    )
    assert starter_figure is not None and solution_figure is not None
    if kata.load.measure == "requests_per_second":
        assert solution_figure > starter_figure
    else:  # less is better
        assert starter_figure > solution_figure


@pytest.mark.timeout(SERVE_TIMEOUT)
def test_a_served_site_answers_from_its_seeded_database_as_the_scenarios_user() -> None:
    (kata,) = [kata for kata in load_katas(REPO) if kata.number == 22]
    with Servers(kata, max_seconds=60, log_to_files=True) as servers:
        upstream = servers.upstream()
        site = servers.site(resolve_target(kata, "solutions"), upstream, listen(None)[0])
        upstream.wait_ready()
        site.wait_ready()
        with httpx.Client(trust_env=False, cookies={"sessionid": SESSION_KEY}) as client:
            me = client.get(site.url("/me/")).json()
    assert me == {"authenticated": True, "username": "ada", "name": "Ada Lovelace"}


def test_load_says_plainly_when_a_kata_is_not_about_load(
    root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(load_command, "find_kata", lambda n: load_kata(root / "katas" / n))
    args = argparse.Namespace(
        kata="96_no_load", url=None, target=None, burst=BURST, seconds=20.0, port=None
    )
    assert load_command.main(args) == 0
    output = capsys.readouterr().out
    assert "Kata 96 · Say hello: this kata's lesson is not about load" in output
    assert "Katas whose lesson shows under load: 94, 97 (make load N=94)" in output


def test_load_fires_at_a_running_server_given_its_url(
    solution_site: tuple[Server, Server], capsys: pytest.CaptureFixture[str]
) -> None:
    site, _ = solution_site
    args = argparse.Namespace(
        kata=None, url=site.url("/hello/"), target=None, burst=BURST, seconds=20.0, port=None
    )
    assert load_command.main(args) == 0
    output = capsys.readouterr().out
    assert re.search(r"requests per second +\d+\.\d\n", output)
    assert "URL: when each request was inside the view" in output


def test_load_asks_for_another_page_meanwhile_one_request_at_a_time(
    solution_site: tuple[Server, Server],
) -> None:
    site, _ = solution_site
    run = asyncio.run(fire(site.url("/hello/"), 3, seconds=20, probe=site.url("/hello/")))
    assert run.probes and all(probe.status == 200 for probe in run.probes)
    assert peak_overlap([(p.sent, p.answered or p.sent) for p in run.probes]) == 1
    assert run.slowest_probe is not None and run.slowest_probe >= LATENCY
    assert "another page meanwhile, slowest" in report([run], title="legend")


def test_load_fires_only_at_this_machine() -> None:
    args = argparse.Namespace(
        kata=None, url="http://example.com/", target=None, burst=5, seconds=5.0, port=None
    )
    with pytest.raises(DojoError, match="load fires only at http:// servers on this machine"):
        load_command.main(args)


def test_a_request_not_answered_in_time_counts_as_an_error_and_ends_the_burst(
    solution_site: tuple[Server, Server],
) -> None:
    _, upstream = solution_site  # its route for 127.0.0.1/never-in-time takes 5 s
    started = time.perf_counter()
    run = asyncio.run(fire(upstream.url("/never-in-time"), 3, seconds=0.5))
    assert time.perf_counter() - started < 4
    assert run.errors == {NO_ANSWER: 3}
    assert run.requests_per_second == 0
