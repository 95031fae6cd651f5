"""The life of every Esprit: one `EspritEvent` row per event, written in the transaction that made it happen.

Writers call `record` with the events of their transaction (one multi-row INSERT); `faye.audit` walks the rows
(every Esprit that exists has a history that starts with `created` and ends where the Esprit is now).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from faye.db import in_session
from faye.models import EVENTS, EventKind

_insert = insert(EVENTS)


def event(esprit_id: int, kind: EventKind, owner_id: str | None, at: datetime, **detail: Any) -> dict[str, Any]:
    """One row to `record`: `owner_id` is who holds the Esprit after it (None in escrow or once it is gone)."""
    return {"esprit_id": esprit_id, "kind": kind.value, "owner_id": owner_id, "detail": detail, "at": at}


def record_sync(conn: Connection, events: Sequence[dict[str, Any]]) -> None:
    """Write the events, in order, in one statement."""
    if events:
        conn.execute(_insert, list(events))


record = in_session(record_sync)


async def events_of(session: AsyncSession, esprit_id: int) -> list[dict[str, Any]]:
    """Every event of one Esprit, oldest first; empty for an id that never existed."""
    rows = await session.execute(
        select(EVENTS.c.at, EVENTS.c.kind, EVENTS.c.owner_id, EVENTS.c.detail)
        .where(EVENTS.c.esprit_id == esprit_id)
        .order_by(EVENTS.c.id)
    )
    return [dict(row._mapping) for row in rows]
