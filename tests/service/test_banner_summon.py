"""Summons on banners: the featured rule and its guarantee as recorded pull by pull, pity shared within a pity
group and separate between groups, closed and unknown banners refused with nothing changed."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from faye.app import FayeApp
from faye.clock import FixedClock
from faye.config import BANNERS_FILE
from faye.errors import BannerClosed, FayeError, NotFound
from faye.models import PITY, PULLS, PullRecord
from faye.settings import DEFAULT_CONFIG_DIR
from tests.conftest import ADMIN_ID, assert_conserved, ledger_rows, open_app, register

JANUARY = "solheart_2026_01"
"""Open 2026-01-01 to 2026-01-29 in the shipped rotation; the test clock starts on 2026-01-01 12:00."""
FEBRUARY = "faylight_2026_01"
"""The next one, 2026-01-29 to 2026-02-26 (its id is from its start month)."""
FEATURED_TIERS = ("Legendary", "Mythic")


async def records(app: FayeApp, user_id: str) -> list[PullRecord]:
    async with app.context.db.read() as session:
        stmt = select(PullRecord).where(PullRecord.user_id == user_id).order_by(PullRecord.n)  # type: ignore[arg-type]
        return list((await session.execute(stmt)).scalars())


async def fund(app: FayeApp, user_id: str, ten_pulls: int) -> None:
    settings = app.config.settings.summon
    await app.admin.grant(ADMIN_ID, user_id, settings.currency.value, ten_pulls * settings.ten_cost)


def test_the_rotation_keys_are_what_these_tests_assume(app: FayeApp) -> None:
    banners = app.config.banners_by_id
    assert banners[JANUARY].start == datetime(2026, 1, 1, tzinfo=UTC)
    assert banners[FEBRUARY].start == banners[JANUARY].end


async def test_featured_rule_and_guarantee_hold_pull_by_pull(app: FayeApp) -> None:
    await register(app, "u1")
    await fund(app, "u1", 60)
    for _ in range(60):
        result = await app.summons.summon("u1", 10, JANUARY)
        assert result.banner == JANUARY
    pulls = await records(app, "u1")
    assert [p.n for p in pulls] == list(range(1, 601))
    banner = app.config.banners_by_id[JANUARY]
    for tier in FEATURED_TIERS:
        featured_ids = set(banner.featured[tier].esprits)
        of_tier = [p for p in pulls if p.tier == tier]
        assert of_tier, f"600 pulls hold no {tier}: the seed or the rates changed"
        pending = False
        for pull in of_tier:
            assert (tier in pull.guaranteed_before) == pending
            assert pull.featured == (pull.esprit_data_id in featured_ids)
            if pending:
                assert pull.featured, "a pending guarantee must give a featured Esprit"
            pending = not pull.featured
    mythic = [p for p in pulls if p.tier == "Mythic"]
    assert any("Mythic" in p.guaranteed_before for p in mythic), "no guarantee was ever pending: nothing was tested"
    assert all(p.pity_group == "limited" for p in pulls)
    await assert_conserved(app)


async def test_records_carry_the_counters_before_each_pull(app: FayeApp) -> None:
    await register(app, "u1")
    await fund(app, "u1", 12)
    for _ in range(12):
        await app.summons.summon("u1", 10, JANUARY)
    pulls = await records(app, "u1")
    table = app.context.rarity
    names = app.config.tier_names
    counters = table.fresh()
    for pull in pulls:
        expected = {names[i]: counters[i] for i, rule in enumerate(table.rules) if rule.pity is not None}
        assert pull.pity_before == expected
        counters = table.advance(counters, names.index(pull.tier))


async def test_pity_carries_from_one_limited_banner_to_the_next_and_not_to_the_standard(
    app: FayeApp, clock: FixedClock
) -> None:
    await register(app, "u1")
    await fund(app, "u1", 4)
    january = await app.summons.summon("u1", 10, JANUARY)
    clock.set(datetime(2026, 2, 1, tzinfo=UTC))
    february = await app.summons.summon("u1", 10, FEBRUARY)
    pulls = await records(app, "u1")
    first_february = pulls[10]
    assert first_february.banner_id == FEBRUARY
    assert first_february.pity_before == january.pity
    assert february.banner == FEBRUARY
    standard = await app.summons.summon("u1", 10)
    assert standard.banner == "standard"
    assert pulls[0].pity_before == {name: 0 for name in january.pity}
    assert (await records(app, "u1"))[20].pity_before == {name: 0 for name in january.pity}, (
        "the standard group keeps its own counters"
    )
    async with app.context.db.read() as session:
        groups = {g for (g,) in (await session.execute(select(PITY.c.pity_group).distinct())).all()}
    assert groups == {"standard", "limited"}


@pytest.mark.parametrize(
    ("banner_id", "error", "code"),
    [("faylight_2026_01", BannerClosed, "banner_closed"), ("no_such_banner", NotFound, "not_found")],
)
async def test_closed_or_unknown_banner_changes_nothing(
    app: FayeApp, banner_id: str, error: type[FayeError], code: str
) -> None:
    await register(app, "u1")
    await fund(app, "u1", 1)
    before = await ledger_rows(app, "u1")
    with pytest.raises(error) as raised:
        await app.summons.summon("u1", 10, banner_id)
    assert raised.value.code == code
    assert banner_id in str(raised.value) or "Crown of Dawn" in str(raised.value)
    assert await ledger_rows(app, "u1") == before
    assert await records(app, "u1") == []
    async with app.context.db.read() as session:
        assert (await session.execute(select(PULLS.c.id))).all() == []


async def test_a_banners_cost_override_is_what_is_charged(db_url: str, clock: FixedClock, tmp_path: Path) -> None:
    config_dir = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, config_dir)
    data = json.loads((config_dir / BANNERS_FILE).read_text())
    january = next(b for b in data["banners"] if b["banner_id"] == JANUARY)
    january["cost"] = {"ten_cost": 999}
    (config_dir / BANNERS_FILE).write_text(json.dumps(data))
    async with open_app(db_url, clock, config_dir=config_dir) as app:
        await register(app, "u1")
        await fund(app, "u1", 1)
        result = await app.summons.summon("u1", 10, JANUARY)
        standard = await app.summons.summon("u1", 10)
        assert (result.cost.amount, standard.cost.amount) == (999, app.config.settings.summon.ten_cost)
        summons = await ledger_rows(app, "u1", reason="summon")
        assert [(r.delta, r.reference) for r in summons] == [
            (-999, f"10-pull {JANUARY}"),
            (-standard.cost.amount, "10-pull"),
        ]
