"""GET /stock/<sku>/ answers with the stock API's numbers, calling the API one request at a
time whatever the item, keeps working on another event loop (the next test, a sync caller),
and a failure of the API is a 502 that leaves the API's turn free for the next request."""

import asyncio
from pathlib import Path

import pytest

from dojo.harness.failures import FAILURES
from dojo.harness.kept import kept_values
from dojo.harness.upstream import peak_overlap

WAREHOUSES = ["Leeds", "Lyon", "Lodz", "Lille", "Linz"]
# A request that waits this long for its turn, when the stock API answers in 0.05 s, waits
# for a turn that nobody will give back.
TURN_WAIT_LIMIT = 1.0


@pytest.fixture
def stock_item(upstream, rng):
    """Add an item to the stock API: ``item = stock_item()`` has a ``sku`` and its
    ``numbers``. The API serves one call at a time per API key (429 to a second call for an
    item while the first runs; the tests check the calls for other items themselves)."""
    made = set()

    def add(latency=None):
        sku = f"SKU-{rng.randint(1000, 9999)}"
        while sku in made:
            sku = f"SKU-{rng.randint(1000, 9999)}"
        made.add(sku)
        numbers = {"in_stock": rng.randint(0, 500), "warehouse": rng.choice(WAREHOUSES)}
        # Unless told, each call takes its own time: answers need not come back in order.
        route = upstream.get(
            f"http://stock.example/items/{sku}",
            json=numbers,
            latency=latency or (lambda request: rng.uniform(0.05, 0.15)),
        )
        route.limit(1)
        route.sku, route.numbers = sku, numbers
        return route

    return add


@pytest.fixture
def loops_one_after_another():
    """``await loops_one_after_another(function, *args, rounds=[...])`` runs ``function(*args,
    where)`` for each round on a new event loop, one loop after the other in one thread of
    its own: as pytest runs test after test, or a worker thread one loop after another. The
    loops are closed when the test is over, as a server closes its loop at the very end."""
    loops = []

    def one_after_another(function, args, rounds):
        for where in rounds:
            loop = asyncio.new_event_loop()
            loops.append(loop)
            loop.run_until_complete(function(*args, where))

    async def run(function, *args, rounds):
        await asyncio.to_thread(one_after_another, function, args, rounds)

    yield run
    for loop in loops:
        loop.close()


async def serve_at_once(app, items, where):
    """A request for each item, all at once: each answered with its numbers, and the stock
    API never called twice at the same time."""
    __tracebackhide__ = True
    upstream = items[0].upstream
    before = len(upstream.calls)
    responses = await asyncio.gather(*(app.get(f"/stock/{item.sku}/") for item in items))
    for item, response in zip(items, responses, strict=True):
        response.assert_json({"sku": item.sku, **item.numbers}, f"the stock of {item.sku}, {where}")
    calls = upstream.calls[before:]
    peak = peak_overlap((call.start, call.end) for call in calls)
    if peak > 1:
        pytest.fail(
            f"{len(items)} requests at once for {', '.join(item.sku for item in items)}, "
            f"{where}: the stock API was called {peak} times at the same moment.\n"
            "It serves one call at a time per API key, whatever the item, and answers 429 "
            "Too Many Requests to the others.\nExpected the requests to take turns.\n\n"
            f"{upstream.timeline(calls)}",
            pytrace=False,
        )


async def test_the_stock_level_of_an_item(app, stock_item):
    item = stock_item()
    response = await app.get(f"/stock/{item.sku}/")
    response.assert_json({"sku": item.sku, **item.numbers}, f"the stock of {item.sku}")


async def test_requests_take_turns_on_every_event_loop(app, stock_item, loops_one_after_another):
    items = [stock_item() for _ in range(3)]
    await serve_at_once(app, items, "on this test's event loop")
    await loops_one_after_another(
        serve_at_once,
        app,
        items,
        rounds=[
            "on a second event loop, in a thread of its own",
            "on a third event loop, in the same thread as the second, after it",
        ],
    )


async def test_each_event_loop_uses_a_client_of_its_own(app, stock_item, http_clients, on_new_loop):
    item = stock_item()
    path = f"/stock/{item.sku}/"
    (await app.get(path)).assert_status(200, f"the stock of {item.sku}")
    (await on_new_loop(app.get, path)).assert_status(
        200, f"the stock of {item.sku}, on a second loop"
    )
    http_clients.assert_each_on_one_loop()


def holders_of(loops):
    """The lists, sets and dicts the kata's code keeps at module level (directly, or on one
    of its module-level objects) that hold two or more of ``loops``, or of their ids."""
    wanted = {id(loop) for loop in loops}
    found = {}
    for _, value in kept_values(Path(__file__).parent):
        if type(value) in (dict, list, set):
            items = [*value.keys(), *value.values()] if type(value) is dict else list(value)
            held = {id(item) for item in items} | {item for item in items if type(item) is int}
            if len(held & wanted) >= 2:
                found[id(value)] = value
    return list(found.values())


async def test_an_event_loop_that_has_ended_leaves_nothing_behind(
    app, stock_item, loops_one_after_another
):
    # A worker thread runs a new event loop for every async_to_sync call: whatever is kept
    # per loop must go with its loop, or it piles up, one open client per loop that ever ran.
    item = stock_item(latency=0.02)
    ended = []

    async def one_request(where):
        ended.append(asyncio.get_running_loop())
        response = await app.get(f"/stock/{item.sku}/")
        response.assert_json({"sku": item.sku, **item.numbers}, f"the stock of {item.sku}, {where}")

    await loops_one_after_another(
        one_request, rounds=[f"on event loop {n} of 3, one after the other" for n in (1, 2, 3)]
    )
    kept = holders_of(ended)
    if kept:
        pytest.fail(
            f"3 event loops, one after the other, each served a request and ended, and a "
            f"{type(kept[0]).__name__} of the kata's still holds {len(kept[0])} entries "
            "keyed by them (the loops, or their id()).\n"
            "What is kept per event loop (a client, a lock) outlives its loop: it piles up "
            "with every loop that ever ran, each with its open client, and a new loop given "
            "a dead one's address (id(loop)) gets the dead loop's client and lock.\n"
            "Expected what belongs to a loop to go when the loop is gone (a "
            "weakref.WeakKeyDictionary lets go by itself).",
            pytrace=False,
        )


async def test_a_failing_stock_api_is_a_502_not_a_crash(app, stock_item, upstream_failure):
    item = stock_item(latency=0.05).breaks(upstream_failure)
    response = await app.get(f"/stock/{item.sku}/")
    if response.status not in (502, 503, 504):
        pytest.fail(
            f"The stock API {upstream_failure}.\n{response.explain()}\n"
            "Expected 502 Bad Gateway (or 503, 504): the widget has no stock level to show, "
            "and should say so rather than break the product page.",
            pytrace=False,
        )


async def test_the_stock_api_turn_is_given_back_after_a_failure(app, stock_item, rng):
    failure = rng.choice(FAILURES)
    failing, other = stock_item(latency=0.05), stock_item(latency=0.05)
    failing.breaks(failure, times=1)
    await app.get(f"/stock/{failing.sku}/")
    try:
        async with asyncio.timeout(TURN_WAIT_LIMIT):
            response = await app.get(f"/stock/{other.sku}/")
    except TimeoutError:
        pytest.fail(
            f"The stock API {failure} on a call for {failing.sku}. The next request, for "
            f"{other.sku}, was still waiting for its turn {TURN_WAIT_LIMIT:g} s later, and the "
            "stock API was never called for it: the turn taken by the failed call was never "
            "given back.\nExpected the turn to be given back however the call ends.",
            pytrace=False,
        )
    response.assert_json(
        {"sku": other.sku, **other.numbers},
        f"the stock of {other.sku}, after a failed call for {failing.sku}",
    )
