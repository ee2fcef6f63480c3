"""POST /transfers/ moves money between two accounts from an async view, all or nothing: a
transfer that fails half-way, runs beside another one or loses its client never makes or
loses money, and no other request ever sees it half done."""

import asyncio
import collections
import json
import re
import threading
import weakref
from contextvars import ContextVar

import pytest
from asgiref.sync import sync_to_async
from django.db import connection, transaction
from django.db.backends.signals import connection_created

from .models import Account

TRANSFERS = "/transfers/"


@pytest.fixture
async def accounts(database, fake, rng):
    """Alice's, Bob's and Carol's open accounts, with money on them, and a closed account."""
    numbers = iter(f"ACC-{n}" for n in rng.sample(range(10_000, 99_999), 4))

    async def account(closed=False):
        return await Account.objects.acreate(
            number=next(numbers),
            owner=fake.person(),
            balance=fake.amount(5_000, 90_000),
            closed=closed,
        )

    return await account(), await account(), await account(), await account(closed=True)


# The ledger: every change of a balance, seen from inside the database --------------------

# Which of the test's requests a statement belongs to: set by the test for each request,
# and carried into the view's threads by sync_to_async (it copies the context).
current_request: ContextVar[str | None] = ContextVar("kata23_request", default=None)
# A statement that takes the database's write lock, or waits for it.
TAKES_WRITE_LOCK = re.compile(
    r"\s*(BEGIN\s+(IMMEDIATE|EXCLUSIVE)|UPDATE|INSERT|DELETE|REPLACE)\b", re.I
)
# How long a held change waits for the other requests at most; they need milliseconds.
PATIENCE = 0.5
POLL = 0.002


class Ledger:
    """A trigger calls back into the test on every change of a balance, from whichever
    thread and connection makes it. So the test can make the database refuse the n-th
    change (a failure half-way through a transfer), or hold it there (a transfer under way)
    while other requests look at the accounts."""

    def __init__(self):
        self.changes = 0
        self.refuse_at = None
        self.refuse_later = False
        self.hold_at = None
        self.holder = None
        self.held = threading.Event()
        self._go = threading.Event()
        self._others_done = threading.Event()
        self._writing = collections.Counter()  # write statements under way, per request
        self._lock = threading.Lock()

    def refuse(self, nth, *, and_later=False):
        """The database refuses the ``nth`` change of a balance, as if its disk failed (and
        every later change with ``and_later``: the disk stays broken)."""
        self.refuse_at = nth
        self.refuse_later = and_later

    def hold(self, nth):
        """The ``nth`` change of a balance waits in the database until the test lets it go."""
        self.hold_at = nth

    async def under_way(self, requests):
        """Wait until a change is held; False if every request finished without one."""
        while not self.held.is_set():
            if all(task.done() for task in requests.values()):
                return False
            await asyncio.sleep(POLL)
        return True

    async def let_go_once_the_others_waited(self, requests):
        """Let the held change go once every other request has finished or waits for the
        write lock that the held transfer has (so it has read what it wanted meanwhile); the
        held transfer's next writes outside a transaction then wait until the others are done."""
        others = {name: task for name, task in requests.items() if name != self.holder}
        loop = asyncio.get_running_loop()
        deadline = loop.time() + PATIENCE
        while loop.time() < deadline and not all(
            task.done() or self._writing[name] for name, task in others.items()
        ):
            await asyncio.sleep(POLL)
        self._go.set()
        if others:
            await asyncio.wait(others.values(), timeout=PATIENCE * 5)
        self._others_done.set()

    def let_go(self):
        self._go.set()
        self._others_done.set()

    # Called by SQLite inside each UPDATE that changes a balance, on that UPDATE's thread.
    def _changing(self, account_id, old, new):
        with self._lock:
            self.changes += 1
            nth = self.changes
        if nth == self.hold_at:
            self.holder = current_request.get()
            self.held.set()
            self._go.wait(timeout=PATIENCE * 5)
        if self.refuse_at is None:
            return 0
        return int(nth == self.refuse_at or (self.refuse_later and nth > self.refuse_at))

    # An execute wrapper on every connection the view's threads open.
    def _executing(self, execute, sql, params, many, context):
        if not TAKES_WRITE_LOCK.match(sql):
            return execute(sql, params, many, context)
        name = current_request.get()
        holder = name is not None and name == self.holder
        if holder and self._go.is_set() and not context["connection"].in_atomic_block:
            # The held transfer goes on outside a transaction: it lets the others finish first
            # (for PATIENCE at most: they may be waiting for it).
            self._others_done.wait(timeout=PATIENCE)
        with self._lock:
            self._writing[name] += 1
        try:
            return execute(sql, params, many, context)
        finally:
            with self._lock:
                self._writing[name] -= 1


# Every connection opened since the tests were collected: a thread that lives on from an
# earlier test (an executor's) keeps its connection, and the ledger must watch it too.
_connections = weakref.WeakSet()
connection_created.connect(
    lambda sender, connection, **kwargs: _connections.add(connection),
    weak=False,
    dispatch_uid="kata23_connections",
)


@pytest.fixture
def ledger(database):
    """The accounts' balances watched from inside the database: ``ledger.refuse(2)`` makes
    the database refuse a transfer's second change of a balance, ``ledger.hold(1)`` holds
    the first change until the other requests have looked at the accounts."""
    book = Ledger()

    def watch(connection):
        connection.connection.create_function("kata23_ledger", 3, book._changing)
        if book._executing not in connection.execute_wrappers:
            connection.execute_wrappers.append(book._executing)

    for known in list(_connections):
        if known.connection is not None:
            watch(known)
    connection_created.connect(
        lambda sender, connection, **kwargs: watch(connection),
        weak=False,
        dispatch_uid="kata23_ledger",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TRIGGER kata23_ledger BEFORE UPDATE OF balance ON {Account._meta.db_table} "
            "FOR EACH ROW WHEN NEW.balance != OLD.balance BEGIN "
            "SELECT RAISE(ABORT, 'the ledger disk failed') "
            "WHERE kata23_ledger(NEW.id, OLD.balance, NEW.balance) = 1; END"
        )
    yield book
    book.let_go()
    connection_created.disconnect(dispatch_uid="kata23_ledger")
    for known in list(_connections):
        if book._executing in known.execute_wrappers:
            known.execute_wrappers.remove(book._executing)
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS kata23_ledger")


# Helpers ------------------------------------------------------------------------------------


async def balances(*accounts):
    """The accounts' balances in the database now."""
    return tuple([(await Account.objects.aget(pk=account.pk)).balance for account in accounts])


@sync_to_async
def wait_for_writes_under_way():
    # BEGIN IMMEDIATE waits until no other connection is writing.
    with transaction.atomic():
        pass


def order(source, destination, amount):
    return {"from": source.number, "to": destination.number, "amount": amount}


def start(stream, orders):
    """Send the orders at once, each as a named request: {name: task}.

    Inside ``app.watching(...)`` the harness keeps its house rules over all of them at once,
    as for a burst (``app.post`` would judge each request alone, while the others, rightly,
    are still running)."""

    async def send(name, body):
        current_request.set(name)
        return await stream(
            TRANSFERS,
            method="POST",
            body=json.dumps(body).encode(),
            headers={"content-type": "application/json"},
        )

    return {name: asyncio.create_task(send(name, body)) for name, body in orders.items()}


def describe(accounts, before, after):
    return "; ".join(
        f"{account.number} ({account.owner}): {was} -> {now}"
        for account, was, now in zip(accounts, before, after, strict=True)
    )


def assert_nothing_moved(accounts, after, response, what="The transfer failed"):
    __tracebackhide__ = True
    before = tuple(account.balance for account in accounts)
    if after == before:
        return
    pytest.fail(
        f"{response.explain()}\n{what}, yet the balances changed "
        f"({describe(accounts, before, after)} cents): money was lost or made.\n"
        "Expected a transfer that fails to leave every balance as it was: all or nothing.",
        pytrace=False,
    )


def fail_never_under_way(responses):
    __tracebackhide__ = True
    failed = [r for r in responses if r.status != 200] or responses
    pytest.fail(
        f"{failed[0].explain()}\nThe transfer never changed a balance, so there was nothing to "
        "judge.\nExpected a transfer between two open accounts to move the money.",
        pytrace=False,
    )


# The answers --------------------------------------------------------------------------------


async def test_a_transfer_moves_the_money(app, accounts, rng):
    alice, bob, _, _ = accounts
    amount = rng.randint(100, alice.balance)
    response = await app.post(TRANSFERS, json=order(alice, bob, amount))
    response.assert_json(
        {
            "from": {"number": alice.number, "balance": alice.balance - amount},
            "to": {"number": bob.number, "balance": bob.balance + amount},
        },
        f"both balances after moving {amount} cents",
    )
    stored = await balances(alice, bob)
    expected = (alice.balance - amount, bob.balance + amount)
    assert stored == expected, f"The database holds the balances {stored}; expected {expected}."


async def test_a_transfer_of_more_than_the_balance_is_refused_and_moves_nothing(app, accounts, rng):
    alice, bob, _, _ = accounts
    amount = alice.balance + rng.randint(1, 5_000)
    response = await app.post(TRANSFERS, json=order(alice, bob, amount))
    response.assert_status(409, f"Conflict: {alice.number} holds less than {amount} cents")
    assert_nothing_moved((alice, bob), await balances(alice, bob), response)


async def test_a_transfer_to_a_closed_account_is_refused_and_moves_nothing(app, accounts, rng):
    alice, _, _, closed = accounts
    amount = rng.randint(100, alice.balance)
    response = await app.post(TRANSFERS, json=order(alice, closed, amount))
    response.assert_status(409, f"Conflict: account {closed.number} is closed")
    assert_nothing_moved((alice, closed), await balances(alice, closed), response)


async def test_a_transfer_from_or_to_an_unknown_account_is_404_and_moves_nothing(
    app, accounts, rng
):
    alice, bob, _, _ = accounts
    unknown = f"ACC-{rng.randint(100_000, 999_999)}"
    for source, destination in ((alice.number, unknown), (unknown, bob.number)):
        amount = rng.randint(100, alice.balance)
        body = {"from": source, "to": destination, "amount": amount}
        response = await app.post(TRANSFERS, json=body)
        response.assert_status(404, f"Not Found: there is no account {unknown}")
        assert_nothing_moved((alice, bob), await balances(alice, bob), response)


async def test_an_order_that_makes_no_sense_is_400_and_moves_nothing(app, accounts, rng):
    alice, bob, _, _ = accounts
    amount = rng.randint(100, min(alice.balance, bob.balance))
    nonsense = {
        "a negative amount": order(alice, bob, -amount),
        "an amount of zero": order(alice, bob, 0),
        "an amount in a string": order(alice, bob, str(amount)),
        "an amount that is not whole cents": order(alice, bob, amount + 0.5),
        "an amount of true": order(alice, bob, True),
        "no destination": {"from": alice.number, "amount": amount},
        "the same account twice": order(alice, alice, amount),
        "a list": [alice.number, bob.number, amount],
    }
    for what, body in nonsense.items():
        response = await app.post(TRANSFERS, json=body)
        response.assert_status(400, f"Bad Request: an order with {what}, {json.dumps(body)}")
        assert_nothing_moved((alice, bob), await balances(alice, bob), response)
    response = await app.post(TRANSFERS, data=f"from={alice.number}&amount={amount}".encode())
    response.assert_status(400, "Bad Request: a body that is not JSON")


# All or nothing, whatever happens meanwhile -------------------------------------------------


async def test_a_transfer_that_fails_half_way_moves_nothing(app, accounts, ledger, rng):
    alice, bob, _, _ = accounts
    # From the transfer's second change of a balance on (whichever it is), the database
    # refuses every change: putting the money back by hand fails too.
    ledger.refuse(2, and_later=True)
    amount = rng.randint(100, alice.balance)
    response = await app.post(TRANSFERS, json=order(alice, bob, amount))
    assert response.status != 200, (
        f"{response.explain()}\nExpected the transfer to fail: the database refused its "
        "second change of a balance."
    )
    assert_nothing_moved(
        (alice, bob),
        await balances(alice, bob),
        response,
        "The database refused the transfer's second change of a balance, and every change after",
    )


async def test_transfers_at_once_from_one_account_never_take_more_than_it_holds(
    app, stream, accounts, ledger, rng
):
    alice, bob, carol, _ = accounts
    covered = 2  # Alice's balance covers two of the three transfers, not the third
    amount = rng.randint(alice.balance // (covered + 1) + 1, alice.balance // covered)
    orders = {f"transfer {n}": order(alice, rng.choice([bob, carol]), amount) for n in (1, 2, 3)}
    # The first change of a balance waits there until the other two have looked at Alice's
    # account: as if they arrived a moment later, while the first was still under way.
    ledger.hold(1)
    async with app.watching(f"three transfers at once from {alice.number}"):
        requests = start(stream, orders)
        if await ledger.under_way(requests):
            await ledger.let_go_once_the_others_waited(requests)
        responses = {name: await task for name, task in requests.items()}
    if not ledger.held.is_set():
        fail_never_under_way(list(responses.values()))

    for response in responses.values():
        if response.status not in (200, 409):
            pytest.fail(
                f"{response.explain()}\nExpected each of the three transfers to answer 200 "
                "(moved) or 409 (refused).",
                pytrace=False,
            )
    paid = {name for name, response in responses.items() if response.status == 200}
    gained = {bob.number: 0, carol.number: 0}
    for name in paid:
        gained[orders[name]["to"]] += amount
    before = (alice.balance, bob.balance, carol.balance)
    after = await balances(alice, bob, carol)
    expected = (
        alice.balance - amount * covered,
        bob.balance + gained[bob.number],
        carol.balance + gained[carol.number],
    )
    if len(paid) == covered and after == expected:
        assert_answers_tell_the_balances_it_went_through(alice, amount, responses, paid)
        return
    statuses = ", ".join(f"{name}: {r.status}" for name, r in responses.items())
    pytest.fail(
        f"Alice's account {alice.number} held {alice.balance} cents, and three transfers of "
        f"{amount} cents each left it at the same time: the balance covers {covered} of them.\n"
        f"The view accepted {len(paid)} ({statuses}), and the balances went "
        f"{describe((alice, bob, carol), before, after)} cents "
        f"(money in the three accounts: {sum(before)} -> {sum(after)}).\n"
        f"Expected exactly {covered} to be accepted and the others refused (409), with no "
        "money made or lost: a transfer must decide on the balance as it is when it writes, "
        "while no other transfer can change it.",
        pytrace=False,
    )


def assert_answers_tell_the_balances_it_went_through(alice, amount, responses, paid):
    """Each accepted transfer answers with the balance its own transfer left: one after the
    other, Alice's account went down by ``amount`` at each."""
    __tracebackhide__ = True
    went_through = sorted(alice.balance - amount * n for n in range(1, len(paid) + 1))
    told = {}
    for name in sorted(paid):
        try:
            told[name] = json.loads(responses[name].text)["from"]["balance"]
        except (ValueError, KeyError, TypeError):
            told[name] = None
    if sorted(told.values(), key=str) == sorted(went_through, key=str):
        return
    pytest.fail(
        f"Alice's account {alice.number} held {alice.balance} cents, and {len(paid)} transfers "
        f"of {amount} cents each were accepted; the money moved right, but they told their "
        f"clients that her balance was now "
        f"{', '.join(f'{value} ({name})' for name, value in told.items())}.\n"
        f"Expected the balances her account went through, one for each transfer: "
        f"{', '.join(map(str, went_through))}. A balance worked out from a read made before "
        "the transaction is one the account never had.",
        pytrace=False,
    )


async def test_other_transfers_never_see_a_transfer_half_done(app, stream, accounts, ledger, rng):
    alice, bob, carol, _ = accounts
    amount = rng.randint(100, alice.balance)
    # The transfer's second change of a balance waits in the database until the other
    # transfers have looked at the accounts, and then the database refuses it.
    ledger.hold(2)
    ledger.refuse(2)
    # Meanwhile: one transfer that Alice's whole balance covers, one that only Bob's
    # balance plus the failing transfer's money would cover.
    from_alice = rng.randint(alice.balance - amount + 1, alice.balance)
    from_bob = rng.randint(bob.balance + 1, bob.balance + amount)
    async with app.watching("a failing transfer, and two more meanwhile"):
        failing = start(stream, {"the failing transfer": order(alice, bob, amount)})
        if await ledger.under_way(failing):
            meanwhile = start(
                stream,
                {
                    "from Alice": order(alice, carol, from_alice),
                    "from Bob": order(bob, carol, from_bob),
                },
            )
            await ledger.let_go_once_the_others_waited({**failing, **meanwhile})
            await asyncio.wait([*failing.values(), *meanwhile.values()])
    if not ledger.held.is_set():
        fail_never_under_way([failing["the failing transfer"].result()])
    alices, bobs = meanwhile["from Alice"].result(), meanwhile["from Bob"].result()
    half_done = (
        f"While a transfer of {amount} cents from {alice.number} to {bob.number} was half "
        "done (one balance changed, the other not yet; in the end the database refused it)"
    )
    if alices.status != 200:
        pytest.fail(
            f"{alices.explain()}\n{half_done}, a transfer of {from_alice} cents from "
            f"{alice.number}, which held {alice.balance} cents all along, was not accepted.\n"
            "It saw the half-done transfer. Expected every other request to see a transfer "
            "whole or not at all.",
            pytrace=False,
        )
    if bobs.status != 409:
        pytest.fail(
            f"{bobs.explain()}\n{half_done}, a transfer of {from_bob} cents from {bob.number}, "
            f"which never held more than {bob.balance} cents, was not refused (409).\n"
            "It was paid with the money of the half-done transfer. Expected every other request "
            "to see a transfer whole or not at all.",
            pytrace=False,
        )
    before = (alice.balance, bob.balance, carol.balance)
    after = await balances(alice, bob, carol)
    expected = (alice.balance - from_alice, bob.balance, carol.balance + from_alice)
    assert after == expected, (
        f"After the failed transfer and the one from {alice.number}, the balances went "
        f"{describe((alice, bob, carol), before, after)} cents; expected {expected}."
    )


async def test_a_client_that_leaves_mid_transfer_gets_all_of_it_or_nothing(
    app, stream, accounts, ledger, rng
):
    alice, bob, _, _ = accounts
    amount = rng.randint(100, alice.balance)
    ledger.hold(1)
    left = False

    def leave_once_under_way():
        nonlocal left
        left = left or ledger.held.is_set()
        return left

    body = json.dumps(order(alice, bob, amount)).encode()
    async with app.watching(f"POST {TRANSFERS}, whose client leaves"):
        reading = asyncio.ensure_future(
            stream(
                TRANSFERS,
                method="POST",
                body=body,
                headers={"content-type": "application/json"},
                disconnect_when=leave_once_under_way,
            )
        )
        while not left and not reading.done():
            await asyncio.sleep(POLL)
        # Django cancels the view within a few turns of the loop; only then does the
        # database let the held change through.
        for _ in range(100):
            await asyncio.sleep(0)
        ledger.let_go()
        report = await reading
    if not left:
        fail_never_under_way([report])
    await wait_for_writes_under_way()

    before = (alice.balance, bob.balance)
    after = await balances(alice, bob)
    if after in (before, (alice.balance - amount, bob.balance + amount)):
        return
    pytest.fail(
        f"The client of POST {TRANSFERS} left while its transfer of {amount} cents was under "
        f"way, and the balances went {describe((alice, bob), before, after)} cents: half a "
        "transfer, money lost or made.\n"
        "Expected all of the transfer or none of it. When the client leaves, Django cancels "
        "the view (CancelledError at the await it is waiting on), so no await may lie between "
        "two steps that belong together.",
        pytrace=False,
    )


# Async all the way --------------------------------------------------------------------------


async def test_queries_do_not_block_the_event_loop(app, accounts, database):
    alice, bob, _, _ = accounts
    await app.post(TRANSFERS, json=order(alice, bob, 100))
    database.assert_no_query_on_loop()


def test_the_view_is_async(assert_async_view):
    assert_async_view(TRANSFERS)
