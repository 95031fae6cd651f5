"""Players ready to battle, made through the services only, and a snapshot of everything a refused battle must
leave as it was (balances, Esprits, ledger and history counts, battler rows)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from faye.app import FayeApp
from faye.models import BATTLERS
from faye.results import OwnedEsprit
from faye.services.admin import CONSOLE
from tests.conftest import register
from tests.service.progression_setup import everything, state


async def fighters(app: FayeApp, user_id: str, *, ten_pulls: int = 1) -> tuple[OwnedEsprit, list[OwnedEsprit]]:
    """A registered player whose active Esprit is trained to its level cap (it wins the first trials), and their
    other Esprits (level 1) from `ten_pulls` ten-pulls."""
    starter = (await register(app, user_id)).starter
    await app.admin.grant(CONSOLE, user_id, "faylen", 1_000_000)
    await app.admin.grant(CONSOLE, user_id, "gems", ten_pulls * app.config.settings.summon.ten_cost)
    for _ in range(ten_pulls):
        await app.summons.summon(user_id, 10)
    await app.progression.train(user_id, starter.id, faylen=1_000_000)
    esprits = await everything(app, user_id)
    strong = next(e for e in esprits if e.id == starter.id)
    return strong, [e for e in esprits if e.id != starter.id]


async def battlers(app: FayeApp) -> list[dict[str, Any]]:
    async with app.context.db.read() as session:
        rows = (await session.execute(select(BATTLERS).order_by(BATTLERS.c.user_id))).all()
    return [dict(row._mapping) for row in rows]


async def snapshot(app: FayeApp) -> dict[str, Any]:
    return {**await state(app), "battlers": await battlers(app)}


async def set_cleared(app: FayeApp, user_id: str, stage: int) -> None:
    """Put the player's trial progress at `stage` (they have a battler row): a shortcut past trials their team
    could not win, to reach a stage it loses."""
    async with app.context.db.write() as session:
        await session.execute(update(BATTLERS).where(BATTLERS.c.user_id == user_id).values(trial_cleared=stage))
