"""`Database.transact`, the hot path's transaction: all or nothing, errors translated, the caller's context
(the pinned rules) visible to the work, and a cancelled caller never leaving a transaction running behind it."""

from __future__ import annotations

import asyncio
import contextvars
import threading

import pytest
from sqlalchemy import Connection, select, update

from faye.app import FayeApp
from faye.errors import FayeError, InsufficientFunds
from faye.models import USERS
from tests.conftest import register

WAIT_S = 60.0  # only so a broken test fails instead of hanging; never a timing assertion
_marker: contextvars.ContextVar[str] = contextvars.ContextVar("marker", default="unset")


def set_name(conn: Connection, name: str) -> None:
    conn.execute(update(USERS).where(USERS.c.user_id == "u1").values(username=name))


async def name_of(app: FayeApp) -> str:
    async with app.context.db.read() as session:
        return str((await session.execute(select(USERS.c.username).where(USERS.c.user_id == "u1"))).scalar_one())


async def test_work_commits_and_returns(app: FayeApp) -> None:
    await register(app, "u1")

    def work(conn: Connection) -> int:
        set_name(conn, "Renamed")
        return 7

    assert await app.context.db.transact(work) == 7
    assert await name_of(app) == "Renamed"


async def test_a_refusal_rolls_back_everything_and_reaches_the_caller(app: FayeApp) -> None:
    await register(app, "u1")

    def work(conn: Connection) -> None:
        set_name(conn, "Half")
        raise InsufficientFunds("no", currency="gems", needed=1, balance=0)

    with pytest.raises(InsufficientFunds):
        await app.context.db.transact(work)
    assert await name_of(app) == "U1"


async def test_the_work_sees_the_callers_context(app: FayeApp) -> None:
    """On SQLite the work runs in a worker thread: the rules an interaction pinned (a ContextVar) must be there."""
    _marker.set("pinned")
    assert await app.context.db.transact(lambda _conn: _marker.get()) == "pinned"


async def test_a_cancelled_caller_waits_for_the_transaction_to_end(app: FayeApp) -> None:
    """SQLite runs the work in a worker thread, which a cancellation cannot stop: the caller must not free the
    writer queue while it still runs. The cancellation goes on only once the work has finished (committed here),
    and the next writer sees it."""
    if app.context.db.dialect == "postgresql":
        pytest.skip("on PostgreSQL the work runs on the event loop and a cancellation rolls it back, as in write()")
    await register(app, "u1")
    started, release = threading.Event(), threading.Event()

    def work(conn: Connection) -> None:
        set_name(conn, "Committed")
        started.set()
        if not release.wait(WAIT_S):
            raise FayeError("the test never released the work")

    task = asyncio.create_task(app.context.db.transact(work))
    assert await asyncio.to_thread(started.wait, WAIT_S)
    task.cancel()
    await asyncio.sleep(0)  # let the cancellation reach the task (an event-loop turn, not wall-clock time)
    await asyncio.sleep(0)
    assert not task.done(), "the caller must wait while its transaction is still running"
    release.set()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await name_of(app) == "Committed"
