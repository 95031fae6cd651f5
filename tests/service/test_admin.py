"""Operator actions: authorisation first, then reset (wipe players, reseed Esprits) and currency grants."""

from __future__ import annotations

import pytest

from faye.app import FayeApp
from faye.config import GameConfig
from faye.errors import FayeError, Forbidden, InvalidAmount, InvalidArgument, NotRegistered
from faye.models import EspritData, LedgerEntry, PityCounter, User, UserEsprit
from faye.services.admin import CONSOLE, MAX_GRANT
from tests.conftest import assert_conserved, count_rows, ledger_rows, register


async def populate(app: FayeApp) -> None:
    await register(app, "u1")
    await register(app, "u2")
    await app.summons.summon("u1", 10)
    await app.economy.daily("u2")


async def counts(app: FayeApp) -> dict[str, int]:
    return {m.__name__: await count_rows(app, m) for m in (User, UserEsprit, LedgerEntry, PityCounter, EspritData)}


@pytest.mark.parametrize("actor", ["u1", "admin-2", "", "ADMIN-1", "console"])
async def test_reset_by_non_admin_is_forbidden(app: FayeApp, actor: str) -> None:
    await populate(app)
    before = await counts(app)
    with pytest.raises(Forbidden) as caught:
        await app.admin.reset(actor)
    assert caught.value.code == "forbidden"
    assert await counts(app) == before
    assert before["User"] == 2


@pytest.mark.parametrize("actor", [CONSOLE, "admin-1"], ids=["console", "admin-id"])
async def test_reset_deletes_players_and_reseeds(app: FayeApp, config: GameConfig, actor: object) -> None:
    await populate(app)
    before = await counts(app)
    async with app.context.db.write() as session:  # a stale definition the reset must put right
        row = await session.get(EspritData, config.esprits[0].esprit_id)
        assert row is not None
        row.name = "Tampered"
    report = await app.admin.reset(actor)  # type: ignore[arg-type]
    assert report.players_deleted == before["User"] == 2
    assert report.esprits_deleted == before["UserEsprit"] == 12
    assert report.ledger_rows_deleted == before["LedgerEntry"]
    assert report.esprit_definitions == len(config.esprits)
    after = await counts(app)
    assert after == {
        "User": 0,
        "UserEsprit": 0,
        "LedgerEntry": 0,
        "PityCounter": 0,
        "EspritData": len(config.esprits),
    }
    async with app.context.db.read() as session:
        row = await session.get(EspritData, config.esprits[0].esprit_id)
        assert row is not None
        assert row.name == config.esprits[0].name
    with pytest.raises(NotRegistered):
        await app.economy.profile("u1")
    reg = await register(app, "u1")  # the game works again after a reset
    assert reg.profile.gems == config.settings.starting.gems
    await assert_conserved(app)


async def test_grant_adds_currency_with_a_ledger_row(app: FayeApp, config: GameConfig) -> None:
    await register(app, "u1")
    before = await app.economy.profile("u1")
    grant = await app.admin.grant("admin-1", "u1", "virelite", 7)
    assert (grant.user_id, grant.currency, grant.amount) == ("u1", "virelite", 7)
    assert grant.balance_after == before.virelite + 7
    after = await app.economy.profile("u1")
    assert after.virelite == before.virelite + 7
    assert (after.faylen, after.gems) == (before.faylen, before.gems)
    rows = await ledger_rows(app, "u1", reason="admin_grant")
    assert [(r.currency, r.delta, r.balance_after) for r in rows] == [("virelite", 7, before.virelite + 7)]
    assert rows[0].reference is not None
    assert "admin-1" in rows[0].reference
    await app.admin.grant(CONSOLE, "u1", "gems", MAX_GRANT)
    assert (await app.economy.profile("u1")).gems == before.gems + MAX_GRANT
    await assert_conserved(app)


async def test_grant_by_non_admin_is_forbidden(app: FayeApp) -> None:
    await register(app, "u1")
    with pytest.raises(Forbidden):
        await app.admin.grant("u1", "u1", "gems", 100)
    assert await ledger_rows(app, "u1", reason="admin_grant") == []


@pytest.mark.parametrize("currency", ["diamonds", "GEMS", ""])
async def test_grant_unknown_currency(app: FayeApp, currency: str) -> None:
    await register(app, "u1")
    with pytest.raises(InvalidArgument) as caught:
        await app.admin.grant("admin-1", "u1", currency, 100)
    assert caught.value.details["field"] == "currency"
    assert await ledger_rows(app, "u1", reason="admin_grant") == []


@pytest.mark.parametrize("amount", [0, -5, MAX_GRANT + 1])
async def test_grant_bad_amount(app: FayeApp, amount: int) -> None:
    await register(app, "u1")
    before = await app.economy.profile("u1")
    with pytest.raises(InvalidAmount) as caught:
        await app.admin.grant("admin-1", "u1", "gems", amount)
    assert caught.value.details["amount"] == amount
    assert (await app.economy.profile("u1")).gems == before.gems
    assert await ledger_rows(app, "u1", reason="admin_grant") == []


async def test_grant_to_unknown_player(app: FayeApp) -> None:
    with pytest.raises(NotRegistered):
        await app.admin.grant("admin-1", "ghost", "gems", 100)
    assert await count_rows(app, LedgerEntry) == 0


async def test_balances_beyond_32_bits(app: FayeApp) -> None:
    """Grants may push a balance past 2**31 - 1: the game must either do it exactly or refuse with a FayeError,
    the same on both databases, and never leak a raw database error."""
    await register(app, "u1")
    start = (await app.economy.profile("u1")).gems
    grants = (2**31 - start) // MAX_GRANT + 1
    for _ in range(grants):
        try:
            await app.admin.grant(CONSOLE, "u1", "gems", MAX_GRANT)
        except FayeError:
            break  # a clean refusal is acceptable
    await assert_conserved(app)
