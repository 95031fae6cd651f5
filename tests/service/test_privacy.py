"""A player's data: the export holds every section in one consistent read; forgetting deletes the player's rows,
closes what was under way, leaves others' records theirs (with "deleted player"), keeps the audit clean, and
a deleted id cannot start again within the cooldown. Migration 0008 keeps every row."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, inspect, select
from sqlmodel import col

from faye.app import FayeApp
from faye.clock import FixedClock
from faye.db import Database
from faye.errors import CooldownActive, Forbidden, InvalidArgument, NotRegistered
from faye.models import FORGOTTEN, LedgerEntry, PullRecord, UserEsprit
from faye.schema import HEAD
from faye.services.admin import CONSOLE
from faye.services.privacy import ANONYMOUS, STARTER_COOLDOWN
from faye.services.trades import Offer
from tests.conftest import count_rows, register
from tests.service.test_banner_migration import trades_release_with_counters
from tests.service.test_progression_migration import TABLES, migrate, read_rows

BATTLES = "0007_battles"


async def market(app: FayeApp) -> dict[str, int]:
    """ana sold an Esprit to ben, has another listed, one offered to ben in an open trade, and pulled once."""
    for user in ("ana", "ben"):
        await register(app, user)
        await app.admin.grant(CONSOLE, user, "gems", 10 * app.config.settings.summon.single_cost)
        await app.admin.grant(CONSOLE, user, "faylen", 50_000)
    pulled = [e.id for e in (await app.summons.summon("ana", 1)).esprits]
    pulled += [e.id for e in (await app.summons.summon("ana", 1)).esprits]
    pulled += [e.id for e in (await app.summons.summon("ana", 1)).esprits]
    sold_listing = (await app.auction.create_listing("ana", pulled[0], 500)).listing.id
    await app.auction.buy("ben", sold_listing)
    open_listing = (await app.auction.create_listing("ana", pulled[1], 700)).listing.id
    trade = await app.trades.offer("ana", "ben", Offer(esprits=(pulled[2],)), Offer())
    return {"sold": pulled[0], "listed": pulled[1], "offered": pulled[2], "listing": open_listing, "trade": trade.id}


async def test_the_export_holds_every_section(app: FayeApp) -> None:
    ids = await market(app)
    data = await app.privacy.export("ana")
    document = json.loads(data.to_json())
    assert set(document) == {
        "format", "exported_at", "schema_revision", "player", "balances", "ledger", "esprits", "pity", "pulls",
        "listings", "trades", "battle",
    }  # fmt: skip
    profile = await app.economy.profile("ana")
    assert document["player"]["user_id"] == "ana"
    assert document["schema_revision"] == HEAD
    assert document["balances"] == {"faylen": profile.faylen, "virelite": profile.virelite, "gems": profile.gems}
    assert {row["reason"] for row in document["ledger"]} >= {"starting_grant", "admin_grant", "auction_sale"}
    assert sum(r["delta"] for r in document["ledger"] if r["currency"] == "gems") == profile.gems
    esprits = {e["id"]: e for e in document["esprits"]}
    assert ids["sold"] not in esprits
    assert {ids["listed"], ids["offered"]} <= set(esprits)
    assert esprits[ids["listed"]]["owner_id"] is None, "the escrowed Esprit is in, held by its listing"
    assert [event["kind"] for event in esprits[ids["listed"]]["history"]] == ["created", "escrowed"]
    assert [p["n"] for p in document["pulls"]] == [1, 2, 3]
    assert {row["status"] for row in document["listings"]} == {"sold", "open"}
    [trade] = document["trades"]
    assert (trade["id"], [side["user_id"] for side in trade["sides"]]) == (ids["trade"], ["ana", "ben"])
    assert document["pity"]
    assert document["battle"] is None
    with pytest.raises(NotRegistered):
        await app.privacy.export("nobody")


async def test_forgetting_keeps_others_records_and_the_audit_clean(app: FayeApp) -> None:
    ids = await market(app)
    rows_before = await count_rows(app, LedgerEntry)
    done = await app.privacy.forget(CONSOLE, "ana")
    assert (done.trades_cancelled, done.listings_cancelled) == ([ids["trade"]], [ids["listing"]])
    assert done.esprits_deleted == 3  # the starter, the one taken back from the listing, the one offered
    report = await app.admin.audit(CONSOLE)
    assert report.problems == []
    assert report.players == 1
    with pytest.raises(NotRegistered):
        await app.economy.profile("ana")
    assert await count_rows(app, UserEsprit, col(UserEsprit.owner_id) == "ana") == 0
    assert await count_rows(app, PullRecord) == 0
    # The ledger keeps every row, anonymised, and one closing row per currency left; nothing names ana.
    assert await count_rows(app, LedgerEntry) == rows_before + len(done.balances_closed)
    assert await count_rows(app, LedgerEntry, col(LedgerEntry.user_id) == "ana") == 0
    async with app.context.db.read() as session:
        anonymous = (
            await session.execute(
                select(func.sum(LedgerEntry.delta)).where(col(LedgerEntry.user_id).startswith(ANONYMOUS))
            )
        ).scalar_one()
    assert anonymous == 0, "the deleted player's ledger sums to nothing"
    # ben's Esprit bought from ana keeps its history, the seller a deleted player.
    bought = await app.progression.history("ben", ids["sold"])
    assert [event.kind for event in bought.events] == ["created", "escrowed", "sold"]
    assert bought.events[0].owner is not None
    assert bought.events[0].owner.startswith(ANONYMOUS)
    assert str(bought.events[2].detail["seller"]).startswith(ANONYMOUS)
    assert bought.events[2].owner == "ben"
    trade = await app.trades.show("ben", ids["trade"])
    assert trade.status == "cancelled"
    assert "ana" not in json.dumps((await app.privacy.export("ben")).to_json().decode())


async def test_only_the_player_or_an_administrator_may_forget(app: FayeApp) -> None:
    await register(app, "ana")
    await register(app, "ben")
    with pytest.raises(Forbidden):
        await app.privacy.forget("ben", "ana")
    await app.privacy.forget("ana", "ana")
    with pytest.raises(NotRegistered):
        await app.privacy.forget(CONSOLE, "ana")


async def test_a_deleted_id_gets_no_second_starter_or_daily_within_the_cooldown(
    app: FayeApp, clock: FixedClock
) -> None:
    await register(app, "ana")
    await app.economy.daily("ana")
    await app.privacy.forget("ana", "ana")
    async with app.context.db.read() as session:
        kept = (await session.execute(select(FORGOTTEN))).one()
    assert "ana" not in str(tuple(kept)), "only a salted hash of the id is kept"
    clock.advance(timedelta(days=1))
    with pytest.raises(CooldownActive) as refused:
        await register(app, "ana")
    assert refused.value.details["can_start_at"] == kept.registered_at + STARTER_COOLDOWN
    assert await count_rows(app, UserEsprit) == 0, "no starter was given"
    clock.advance(STARTER_COOLDOWN)
    again = await register(app, "ana")
    assert again.starter is not None
    assert again.profile.gems == app.config.settings.starting.gems


async def test_the_anonymous_ids_are_reserved(app: FayeApp) -> None:
    with pytest.raises(InvalidArgument, match="reserved"):
        await register(app, f"{ANONYMOUS} 0123")


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def test_migration_0008_keeps_every_row_and_drops_the_user_keys(db_url: str) -> None:
    await trades_release_with_counters(db_url)
    await migrate(db_url, "up", BATTLES)
    before = await read_rows(db_url, (*TABLES, "tradeside", "pull", "battler"))
    assert await migrate(db_url, "up", HEAD) == HEAD
    assert await read_rows(db_url, (*TABLES, "tradeside", "pull", "battler")) == before
    database = Database(db_url)
    try:
        async with database.engine.connect() as conn:
            keys = await conn.run_sync(
                lambda sync: {
                    table: {tuple(k["constrained_columns"]) for k in inspect(sync).get_foreign_keys(table)}
                    for table in ("ledgerentry", "auctionlisting", "tradeside", "useresprit")
                }
            )
    finally:
        await database.dispose()
    assert keys == {"ledgerentry": set(), "auctionlisting": set(), "tradeside": {("trade_id",)}, "useresprit": {
        ("owner_id",), ("esprit_data_id",)}}  # fmt: skip
    assert await migrate(db_url, "down", BATTLES) == BATTLES
    assert await read_rows(db_url, (*TABLES, "tradeside", "pull", "battler")) == before


async def test_two_deleted_players_who_traded_keep_two_sides_and_the_audit_clean(
    app: FayeApp, clock: FixedClock
) -> None:
    for user in ("ana", "ben"):
        await register(app, user)
    await app.admin.grant(CONSOLE, "ana", "gems", app.config.settings.summon.single_cost)
    [pulled] = (await app.summons.summon("ana", 1)).esprits
    trade = await app.trades.offer("ana", "ben", Offer(esprits=(pulled.id,)), Offer())
    clock.advance(timedelta(seconds=app.config.settings.trade.confirm_delay_seconds))
    await app.trades.confirm("ana", trade.id, trade.version)
    assert (await app.trades.confirm("ben", trade.id, trade.version)).status == "executed"
    await app.privacy.forget(CONSOLE, "ana")
    assert (await app.admin.audit(CONSOLE)).problems == []
    traded = await app.progression.history("ben", pulled.id)
    assert traded.events[-1].owner == "ben"
    assert str(traded.events[-1].detail["from"]).startswith(ANONYMOUS)
    await app.privacy.forget(CONSOLE, "ben")
    report = await app.admin.audit(CONSOLE)
    assert report.problems == []
    assert report.players == 0
