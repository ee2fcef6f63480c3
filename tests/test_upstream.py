"""The upstream fake under httpx's connection pool: real clients, pools, limits, timeouts and
failures behave as they would against a network service."""

from __future__ import annotations

import asyncio
import threading

import httpx
import pytest

from dojo.harness.failures import FAILURES, Failure
from dojo.harness.upstream import Upstream

PRICE = "http://pricing.example/price"


async def test_a_connection_limit_caps_the_calls_in_flight(upstream: Upstream) -> None:
    route = upstream.get(PRICE, json={"cents": 120}, latency=0.05)
    limits = httpx.Limits(max_connections=3)
    async with httpx.AsyncClient(limits=limits) as client:
        answers = await asyncio.gather(*(client.get(PRICE) for _ in range(9)))
    assert [answer.json() for answer in answers] == [{"cents": 120}] * 9
    assert route.peak_in_flight == 3
    # Three connections, each kept alive and reused for the next call.
    assert upstream.connections == {"pricing.example": 3}


async def test_calls_without_a_limit_all_go_at_once(upstream: Upstream) -> None:
    route = upstream.get(PRICE, json={"cents": 120}, latency=0.05)
    async with httpx.AsyncClient() as client:
        await asyncio.gather(*(client.get(PRICE) for _ in range(9)))
    assert route.peak_in_flight == 9


async def test_a_pool_timeout_fires_when_every_connection_is_busy(upstream: Upstream) -> None:
    upstream.get(PRICE, json={}, latency=0.3)
    limits = httpx.Limits(max_connections=1)
    timeout = httpx.Timeout(5.0, pool=0.05)
    async with httpx.AsyncClient(limits=limits, timeout=timeout) as client:
        results = await asyncio.gather(client.get(PRICE), client.get(PRICE), return_exceptions=True)
    assert isinstance(results[0], httpx.Response)
    assert isinstance(results[1], httpx.PoolTimeout)


async def test_a_read_timeout_is_the_clients_own(upstream: Upstream) -> None:
    route = upstream.get(PRICE, json={}, latency=1.0)
    async with httpx.AsyncClient(timeout=0.05) as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.get(PRICE)
    assert route.calls[0].finished


async def test_the_request_arrives_as_sent(upstream: Upstream) -> None:
    route = upstream.post(
        "http://orders.example/orders",
        json=lambda request: {"got": request.url.params["ref"], "body": request.content.decode()},
    )
    async with httpx.AsyncClient() as client:
        answer = await client.post("http://orders.example/orders?ref=A1", content=b"hello")
    assert answer.json() == {"got": "A1", "body": "hello"}
    assert route.call_count == 1


@pytest.mark.parametrize("failure", FAILURES, ids=[failure.name for failure in FAILURES])
async def test_each_failure_reaches_the_client_as_a_network_would(
    upstream: Upstream, failure: Failure
) -> None:
    upstream.get(PRICE, json={"cents": 1}).breaks(failure)
    async with httpx.AsyncClient() as client:
        if failure.error is not None:
            with pytest.raises(failure.error):
                await client.get(PRICE)
            return
        answer = await client.get(PRICE)
    assert answer.status_code == failure.status
    assert answer.headers["content-type"] == failure.content_type
    if failure.name == "malformed_json":
        with pytest.raises(ValueError):
            answer.json()


async def test_a_sync_client_blocks_its_own_thread_only(upstream: Upstream) -> None:
    # Long enough for three threads to start and call on a loaded machine.
    route = upstream.get(PRICE, json={"cents": 5}, latency=0.5)
    answers = await asyncio.gather(*(asyncio.to_thread(httpx.get, PRICE) for _ in range(3)))
    assert [answer.json() for answer in answers] == [{"cents": 5}] * 3
    assert route.peak_in_flight == 3
    assert all(call.blocking and call.thread != threading.get_ident() for call in route.calls)


async def test_a_host_the_test_did_not_fake_cannot_be_reached(upstream: Upstream) -> None:
    upstream.get(PRICE, json={})
    async with httpx.AsyncClient() as client:
        with pytest.raises(httpx.ConnectError, match="not one of this test's fake upstream"):
            await client.get("http://elsewhere.example/")
        missing = await client.get("http://pricing.example/nowhere")
    assert missing.status_code == 404
    assert "no route for GET http://pricing.example/nowhere" in missing.json()["error"]


def test_a_client_kept_for_the_whole_app_reaches_each_tests_services() -> None:
    shared = httpx.Client()  # one for the whole app, made before any test
    answers = []
    for cents in (1, 2):
        fake = Upstream()
        route = fake.get(PRICE, json={"cents": cents}, latency=0.0)
        with fake.network():
            answers.append(shared.get(PRICE).json())
        assert route.call_count == 1
    shared.close()
    assert answers == [{"cents": 1}, {"cents": 2}]


async def test_each_call_can_take_its_own_time(upstream: Upstream) -> None:
    latencies = {"a": 0.15, "b": 0.01}
    route = upstream.get(
        PRICE,
        json=lambda request: {"sku": request.url.params["sku"]},
        latency=lambda request: latencies[request.url.params["sku"]],
    )
    finished = []

    async def price(client: httpx.AsyncClient, sku: str) -> None:
        await client.get(PRICE, params={"sku": sku})
        finished.append(sku)

    async with httpx.AsyncClient() as client:
        await asyncio.gather(price(client, "a"), price(client, "b"))
    assert finished == ["b", "a"]
    assert route.call_count == 2
