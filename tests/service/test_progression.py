"""Progression through the service, on both databases: training, the active Esprit's share of XP, ascension,
release (preview and execution), locks, the history of every Esprit and its audit."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import pytest

from faye import progression
from faye.app import FayeApp
from faye.errors import Forbidden, InEscrow, NotFound
from faye.results import OwnedEsprit
from faye.services.admin import CONSOLE
from faye.services.progression import ReleaseSelection
from tests.conftest import assert_conserved, ledger_rows, register
from tests.service.progression_setup import everything


async def stocked(app: FayeApp, user_id: str = "ana", ten_pulls: int = 8) -> list[OwnedEsprit]:
    """A registered player with currency to spare and 1 + 10 x `ten_pulls` Esprits."""
    await register(app, user_id)
    await app.admin.grant(CONSOLE, user_id, "gems", ten_pulls * app.config.settings.summon.ten_cost)
    await app.admin.grant(CONSOLE, user_id, "faylen", 1_000_000)
    await app.admin.grant(CONSOLE, user_id, "virelite", 1_000)
    for _ in range(ten_pulls):
        await app.summons.summon(user_id, 10)
    return await everything(app, user_id)


def most_duplicated(esprits: Iterable[OwnedEsprit], *, not_active: bool = True) -> list[OwnedEsprit]:
    """The copies of the species the player has most of (the active Esprit left out)."""
    pool = [e for e in esprits if not (not_active and e.active)]
    species, _ = Counter(e.esprit_id for e in pool).most_common(1)[0]
    return [e for e in pool if e.esprit_id == species]


async def audited(app: FayeApp) -> None:
    report = await app.admin.audit(CONSOLE)
    assert report.problems == []
    await assert_conserved(app)


async def test_training_by_levels_pays_exactly_the_xp_of_those_levels(app: FayeApp) -> None:
    esprits = await stocked(app, ten_pulls=1)
    target = next(e for e in esprits if not e.active and e.level == 1)
    rules = app.config.progression
    xp = progression.xp_for_levels(rules, target.rarity, 1, 0, 4)
    before = (await app.economy.profile("ana")).faylen

    trained = await app.progression.train("ana", target.id, levels=4)

    assert (trained.levels_gained, trained.xp_gained) == (4, xp)
    assert (trained.esprit.level, trained.esprit.xp) == (5, 0)
    assert trained.cost.currency == "faylen"
    assert trained.cost.amount == progression.faylen_for_xp(rules, xp)
    assert trained.balance.faylen == before - trained.cost.amount
    assert trained.esprit.hp == trained.esprit.max_hp == trained.esprit.stats["hp"]
    assert [(r.delta, r.reason) for r in await ledger_rows(app, "ana", "train")] == [(-trained.cost.amount, "train")]
    await audited(app)


async def test_training_stops_at_the_cap_and_charges_only_what_it_took(app: FayeApp) -> None:
    esprits = await stocked(app, ten_pulls=1)
    target = next(e for e in esprits if not e.active)
    cap = target.level_cap

    trained = await app.progression.train("ana", target.id, faylen=10**9)

    assert trained.esprit.level == cap
    assert trained.esprit.xp_to_next is None
    needed = progression.xp_for_levels(app.config.progression, target.rarity, target.level, target.xp, cap - 1)
    assert trained.xp_gained == needed
    assert trained.cost.amount == progression.faylen_for_xp(app.config.progression, needed) < 10**9


async def test_training_with_faylen_buys_xp_at_the_configured_rate(app: FayeApp) -> None:
    esprits = await stocked(app, ten_pulls=1)
    target = next(e for e in esprits if not e.active and e.level == 1)
    trained = await app.progression.train("ana", target.id, faylen=7)
    assert trained.xp_gained == progression.xp_for_faylen(app.config.progression, 7)
    assert trained.cost.amount <= 7


async def test_the_active_esprit_shares_summon_and_daily_xp(app: FayeApp) -> None:
    registration = await register(app, "ana")
    starter = registration.starter
    settings = app.config.settings
    await app.admin.grant(CONSOLE, "ana", "gems", settings.summon.ten_cost)

    summoned = await app.summons.summon("ana", 10)
    claim = await app.economy.daily("ana")

    share = app.config.progression.active_share
    assert summoned.partner is not None
    assert claim.partner is not None
    assert summoned.partner.id == claim.partner.id == starter.id
    assert summoned.partner.xp_gained == int(settings.summon.xp_per_pull * 10 * share)
    assert claim.partner.xp_gained == int(settings.daily.xp * share)
    grown = await app.collection.esprit("ana", starter.id)
    expected = progression.gain(
        app.config.progression,
        starter.rarity,
        1,
        0,
        summoned.partner.xp_gained + claim.partner.xp_gained,
        starter.level_cap,
    )
    assert (grown.level, grown.xp) == (expected.level, expected.xp)


async def test_ascension_consumes_the_lowest_newest_duplicates_and_virelite(app: FayeApp) -> None:
    esprits = await stocked(app)
    copies = most_duplicated(esprits)
    target = copies[0]
    await app.progression.train("ana", copies[1].id, levels=2)  # the oldest spare is levelled: it stays
    rules = app.config.progression
    needed, virelite = progression.ascension_cost(rules, target.rarity, 0)
    spares = sorted(copies[1:], key=lambda e: (e.level + (2 if e.id == copies[1].id else 0), -e.id))
    expected = [e.id for e in spares[:needed]]
    before = (await app.economy.profile("ana")).virelite

    plan = await app.progression.ascend_preview("ana", target.id)
    ascended = await app.progression.ascend("ana", target.id)

    assert [e.id for e in plan.fodder] == ascended.consumed == expected
    assert (plan.rank, plan.cost.amount, plan.affordable) == (1, virelite, True)
    assert ascended.esprit.ascension == 1
    assert ascended.esprit.level_cap == plan.level_cap == progression.level_cap(rules, 1)
    assert ascended.cost.amount == virelite
    assert ascended.balance.virelite == before - virelite
    base = progression.base_stats(app.config.esprits_by_id[target.esprit_id])
    assert ascended.esprit.stats == progression.stats_at(rules, target.rarity, base, target.level, 1)
    for gone in expected:
        with pytest.raises(NotFound):
            await app.collection.esprit("ana", gone)
        events = (await app.progression.history("ana", gone)).events
        assert [e.kind for e in events] == ["created", "consumed"]
        assert events[-1].detail == {"by_esprit": target.id, "rank": 1}
    assert (await app.progression.history("ana", target.id)).events[-1].kind == "ascended"
    await audited(app)


async def test_ascension_with_named_fodder(app: FayeApp) -> None:
    esprits = await stocked(app)
    copies = most_duplicated(esprits)
    needed, _ = progression.ascension_cost(app.config.progression, copies[0].rarity, 0)
    using = [e.id for e in copies[-needed:]]
    ascended = await app.progression.ascend("ana", copies[0].id, using=using)
    assert ascended.consumed == using
    await audited(app)


async def test_release_preview_is_exactly_what_release_does(app: FayeApp) -> None:
    esprits = await stocked(app)
    copies = most_duplicated(esprits)
    await app.progression.lock("ana", copies[-1].id)
    before = await app.economy.profile("ana")

    preview = await app.progression.release_preview("ana", ReleaseSelection(duplicates=True))
    assert preview.dry_run
    assert len(await everything(app, "ana")) == len(esprits), "a preview changes nothing"
    assert copies[-1].id not in preview.ids
    rules = app.config.progression
    assert preview.reward == {
        "faylen": sum(progression.release_reward(rules, e.rarity, e.level)[0] for e in preview.released),
        "virelite": sum(progression.release_reward(rules, e.rarity, e.level)[1] for e in preview.released),
    }

    released = await app.progression.release("ana", ReleaseSelection(ids=tuple(preview.ids)))

    assert not released.dry_run
    assert released.released == preview.released
    assert released.reward == preview.reward
    assert released.balance.faylen == before.faylen + preview.reward["faylen"]
    assert released.balance.virelite == before.virelite + preview.reward["virelite"]
    left = await everything(app, "ana")
    assert {e.id for e in left} == {e.id for e in esprits} - set(preview.ids)
    species = Counter(e.esprit_id for e in left)
    locked_species = copies[-1].esprit_id
    assert all(n == 1 for s, n in species.items() if s != locked_species)
    reasons = Counter(r.reason for r in await ledger_rows(app, "ana", "release"))
    assert reasons == {"release": sum(1 for v in preview.reward.values() if v)}
    await audited(app)


async def test_release_filters_combine_and_skip_the_locked_and_the_active(app: FayeApp) -> None:
    esprits = await stocked(app, ten_pulls=2)
    active = next(e for e in esprits if e.active)
    tier = active.rarity
    same_tier = [e for e in esprits if e.rarity == tier]
    locked = next(e for e in same_tier if not e.active and e.id != active.id)
    await app.progression.lock("ana", locked.id)

    preview = await app.progression.release_preview("ana", ReleaseSelection(rarity=tier.lower(), below_level=10**3))

    assert set(preview.ids) == {e.id for e in same_tier} - {active.id, locked.id}
    assert preview.skipped == {"locked": 1, "active": 1}


async def test_duplicates_keep_the_best_of_each_species(app: FayeApp) -> None:
    esprits = await stocked(app)
    copies = most_duplicated(esprits)
    best = copies[-1]
    await app.progression.train("ana", best.id, levels=3)
    preview = await app.progression.release_preview("ana", ReleaseSelection(duplicates=True, keep=2))
    kept = {e.id for e in copies} - set(preview.ids)
    assert best.id in kept
    assert len(kept) == 2


async def test_lock_and_unlock(app: FayeApp) -> None:
    esprits = await stocked(app, ten_pulls=1)
    target = next(e for e in esprits if not e.active)
    assert (await app.progression.lock("ana", target.id)).locked
    assert (await app.collection.esprit("ana", target.id)).locked
    assert not (await app.progression.lock("ana", target.id, locked=False)).locked
    await app.progression.release("ana", ReleaseSelection(ids=(target.id,)))


async def test_history_follows_an_esprit_through_the_auction_house(app: FayeApp) -> None:
    esprits = await stocked(app, ten_pulls=1)
    await register(app, "ben")
    await app.admin.grant(CONSOLE, "ben", "faylen", 10_000)
    target = next(e for e in esprits if not e.active)
    first = await app.auction.create_listing("ana", target.id, 100)
    with pytest.raises(InEscrow):
        await app.progression.release("ana", ReleaseSelection(ids=(target.id,)))
    await app.auction.cancel("ana", first.listing.id)
    second = await app.auction.create_listing("ana", target.id, 100)
    await app.auction.buy("ben", second.listing.id)
    await app.progression.release("ben", ReleaseSelection(ids=(target.id,)))

    story = await app.progression.history("ana", target.id)
    assert story.name == target.name
    assert [(e.kind, e.owner) for e in story.events] == [
        ("created", "ana"),
        ("escrowed", None),
        ("returned", "ana"),
        ("escrowed", None),
        ("sold", "ben"),
        ("released", None),
    ]
    assert story.events[0].detail["source"] == "summon"
    assert story.events[4].detail == {"listing_id": second.listing.id, "seller": "ana", "price": 100}
    assert (await app.progression.history(None, target.id)).events == story.events  # the operator sees it too
    await register(app, "cleo")
    with pytest.raises(Forbidden):
        await app.progression.history("cleo", target.id)
    with pytest.raises(NotFound):
        await app.progression.history("ana", 10**12)
    history = await app.auction.history("ben")
    assert [listing.id for listing in history.purchases] == [second.listing.id], "the sale stays on record"
    await audited(app)


async def test_starters_are_created_in_the_history(app: FayeApp) -> None:
    registration = await register(app, "ana")
    story = await app.progression.history("ana", registration.starter.id)
    assert [(e.kind, e.owner, e.detail.get("source")) for e in story.events] == [("created", "ana", "starter")]


async def test_the_profile_shows_the_most_advanced_esprit(app: FayeApp) -> None:
    esprits = await stocked(app)
    copies = most_duplicated(esprits)
    await app.progression.ascend("ana", copies[0].id)
    profile = await app.economy.profile("ana")
    assert profile.best_esprit is not None
    assert (profile.best_esprit.id, profile.best_esprit.ascension) == (copies[0].id, 1)
