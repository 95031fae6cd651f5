"""Players with duplicates to ascend and release, made through the services only (grants and summons), and a
snapshot of everything a refusal must leave as it was."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlmodel import col

from faye.app import FayeApp
from faye.models import EspritEvent, LedgerEntry, UserEsprit
from faye.results import OwnedEsprit
from faye.services.admin import CONSOLE
from tests.conftest import balances

#: Ten-pulls a player makes at most while looking for duplicates: enough for a few copies of some species.
MAX_TEN_PULLS = 12


async def everything(app: FayeApp, user_id: str) -> list[OwnedEsprit]:
    """Every Esprit the player owns, oldest first."""
    items: list[OwnedEsprit] = []
    page = 1
    while True:
        found = await app.collection.inventory(user_id, sort="newest", page=page)
        items.extend(found.items)
        if page >= found.pages:
            return sorted(items, key=lambda e: e.id)
        page += 1


async def copies(app: FayeApp, user_id: str, wanted: int) -> list[OwnedEsprit]:
    """`wanted` Esprits of one species that the (registered) player owns, none of them active, oldest first:
    ten-pulls paid with granted gems until some species has that many copies (of those, the most common
    rarity, so ascending them costs little)."""
    ten_cost = app.config.settings.summon.ten_cost
    order = {tier: n for n, tier in enumerate(app.config.progression.rarities)}
    for _ in range(MAX_TEN_PULLS + 1):
        groups: dict[str, list[OwnedEsprit]] = defaultdict(list)
        for esprit in await everything(app, user_id):
            if not esprit.active:
                groups[esprit.esprit_id].append(esprit)
        enough = [group for group in groups.values() if len(group) >= wanted]
        if enough:
            return min(enough, key=lambda group: (order[group[0].rarity], group[0].id))[:wanted]
        await app.admin.grant(CONSOLE, user_id, "gems", ten_cost)
        await app.summons.summon(user_id, 10)
    raise AssertionError(f"no species reached {wanted} copies in {MAX_TEN_PULLS} ten-pulls")


async def state(app: FayeApp) -> dict[str, Any]:
    """What a refusal must not change: balances, every Esprit row, and the number of ledger and history rows."""
    async with app.context.db.read() as session:
        esprits = (await session.execute(select(UserEsprit).order_by(col(UserEsprit.id)))).scalars().all()
        ledger = (await session.execute(select(func.count()).select_from(LedgerEntry))).scalar_one()
        events = (await session.execute(select(func.count()).select_from(EspritEvent))).scalar_one()
    return {
        "balances": await balances(app),
        "esprits": [esprit.model_dump() for esprit in esprits],
        "ledger_rows": ledger,
        "history_rows": events,
    }
