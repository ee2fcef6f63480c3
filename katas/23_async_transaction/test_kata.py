"""POST /transfers/ moves money between two accounts from an async view, all or nothing:
a transfer that fails half-way leaves both balances as they were."""

import pytest
from asgiref.sync import sync_to_async
from django.db import connection

from .models import Account


@pytest.fixture
async def accounts(database, fake, rng):
    """Alice's and Bob's open accounts, with money on them, and a closed account."""
    numbers = iter(f"ACC-{n}" for n in rng.sample(range(10_000, 99_999), 3))

    async def account(closed=False):
        return await Account.objects.acreate(
            number=next(numbers),
            owner=fake.person(),
            balance=fake.amount(5_000, 90_000),
            closed=closed,
        )

    return await account(), await account(), await account(closed=True)


@pytest.fixture
def ledger_fails_on_credit(database):
    """Make the database itself refuse any credit to an account, as if its disk failed
    half-way through a transfer: ``await ledger_fails_on_credit(account)``."""
    table = Account._meta.db_table

    @sync_to_async
    def install(account):
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TRIGGER dojo_ledger_fails BEFORE UPDATE OF balance ON {table} "
                f"FOR EACH ROW WHEN NEW.id = {account.pk} AND NEW.balance > OLD.balance "
                "BEGIN SELECT RAISE(ABORT, 'the ledger disk failed'); END"
            )

    yield install
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS dojo_ledger_fails")


async def balances(source, destination):
    """The two accounts' balances in the database now."""
    return (
        (await Account.objects.aget(pk=source.pk)).balance,
        (await Account.objects.aget(pk=destination.pk)).balance,
    )


def assert_nothing_moved(source, destination, after, response):
    __tracebackhide__ = True
    if after == (source.balance, destination.balance):
        return
    changes = [
        f"{role} {account.number}: {account.balance} -> {now} cents"
        for role, account, now in zip(("from", "to"), (source, destination), after, strict=True)
    ]
    pytest.fail(
        f"{response.explain()}\nThe transfer failed, yet the balances changed "
        f"({'; '.join(changes)}): money was lost or made.\n"
        "Expected a failed transfer to leave both balances as they were: all or nothing.",
        pytrace=False,
    )


async def test_a_transfer_moves_the_money(app, accounts, rng):
    alice, bob, _ = accounts
    amount = rng.randint(100, alice.balance)
    response = await app.post(
        "/transfers/", json={"from": alice.number, "to": bob.number, "amount": amount}
    )
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


async def test_a_transfer_to_a_closed_account_is_refused_and_moves_nothing(app, accounts, rng):
    alice, _, closed = accounts
    amount = rng.randint(100, alice.balance)
    response = await app.post(
        "/transfers/", json={"from": alice.number, "to": closed.number, "amount": amount}
    )
    response.assert_status(409, f"Conflict: account {closed.number} is closed")
    assert_nothing_moved(alice, closed, await balances(alice, closed), response)


async def test_a_transfer_that_fails_half_way_moves_nothing(
    app, accounts, ledger_fails_on_credit, rng
):
    alice, bob, _ = accounts
    await ledger_fails_on_credit(bob)
    amount = rng.randint(100, alice.balance)
    response = await app.post(
        "/transfers/", json={"from": alice.number, "to": bob.number, "amount": amount}
    )
    assert response.status != 200, (
        f"{response.explain()}\nExpected the transfer to fail: the database refused the deposit."
    )
    assert_nothing_moved(alice, bob, await balances(alice, bob), response)


async def test_queries_do_not_block_the_event_loop(app, accounts, database, rng):
    alice, bob, _ = accounts
    await app.post("/transfers/", json={"from": alice.number, "to": bob.number, "amount": 100})
    database.assert_no_query_on_loop()


def test_the_view_is_async(assert_async_view):
    assert_async_view("/transfers/")
