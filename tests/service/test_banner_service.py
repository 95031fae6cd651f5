"""BannerService on both databases: banners open at a time, each player's standing per pity group, the pull
history (paging, filters, order, refusals), luck against the exact passage, and the admin's prune."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from sqlalchemy import insert, update

from faye.app import FayeApp
from faye.clock import FixedClock
from faye.errors import FayeError, Forbidden, InvalidArgument, NotFound, NotRegistered
from faye.gacha.exact import PityChain, wilson_interval
from faye.models import PITY, PULLS, PullRecord
from faye.services.admin import CONSOLE
from tests.conftest import ADMIN_ID, START, count_rows, register

LIMITED = "solheart_2026_01"
"""The limited banner open at START (2026-01-01 to 2026-01-29)."""
NEXT = "faylight_2026_01"


async def rich(app: FayeApp, user_id: str, ten_pulls: int = 5) -> None:
    """Register `user_id` with enough summon currency for `ten_pulls` 10-pulls more."""
    await register(app, user_id)
    summon = app.config.settings.summon
    await app.admin.grant(CONSOLE, user_id, summon.currency.value, ten_pulls * summon.ten_cost)


# --- open banners -----------------------------------------------------------------------------------------


async def test_the_banners_open_at_the_start_of_the_rotation(app: FayeApp) -> None:
    listing = await app.banners.open_now()
    assert listing.at == START
    assert [b.banner_id for b in listing.banners] == ["standard", LIMITED]
    standard, limited = listing.banners
    assert (standard.kind, standard.seconds_left, standard.featured, standard.standing) == ("standard", None, [], None)
    assert limited.seconds_left == (datetime(2026, 1, 29, tzinfo=UTC) - START).total_seconds()
    assert (limited.featured[0].esprit_id, limited.featured[0].tier) == ("solheart_phoenix", "Legendary")
    assert {f.tier for f in limited.featured[1:]} == {"Mythic"}
    assert limited.featured_share == {"Legendary": 0.5, "Mythic": 0.5}
    assert limited.guarantee == {"Legendary": True, "Mythic": True}
    summon = app.config.settings.summon
    assert (limited.single_cost.amount, limited.ten_cost.amount) == (summon.single_cost, summon.ten_cost)


async def test_a_limited_banner_closes_at_its_end_and_the_next_opens(app: FayeApp, clock: FixedClock) -> None:
    clock.set(datetime(2026, 1, 28, 23, 59, tzinfo=UTC))
    assert [b.banner_id for b in (await app.banners.open_now()).banners] == ["standard", LIMITED]
    clock.set(datetime(2026, 1, 29, tzinfo=UTC))
    (standard, nxt) = (await app.banners.open_now()).banners
    assert (standard.banner_id, nxt.banner_id, nxt.seconds_left) == ("standard", NEXT, 28 * 86400.0)


async def test_open_now_refuses_an_unknown_player(app: FayeApp) -> None:
    with pytest.raises(NotRegistered):
        await app.banners.open_now("ghost")


async def test_standing_is_per_pity_group(app: FayeApp) -> None:
    await rich(app, "u1")
    fresh = await app.banners.open_now("u1")
    for banner in fresh.banners:
        assert banner.standing is not None
        assert banner.standing.pity == {"Epic": 0, "Legendary": 0}
        assert banner.standing.hard_pity == {"Epic": 10, "Legendary": 90}
        assert banner.standing.guaranteed == []
    result = await app.summons.summon("u1", 10, LIMITED)
    standard, limited = (await app.banners.open_now("u1")).banners
    assert limited.standing is not None
    assert standard.standing is not None
    assert limited.standing.pity == result.pity
    assert limited.standing.guaranteed == result.guaranteed
    assert standard.standing.pity == {"Epic": 0, "Legendary": 0}  # the standard group did not move
    async with app.context.db.write() as session:
        await session.execute(
            update(PITY)
            .where(PITY.c.user_id == "u1", PITY.c.pity_group == "limited", PITY.c.tier == "Legendary")
            .values(guaranteed=True)
        )
    standard, limited = (await app.banners.open_now("u1")).banners
    assert limited.standing is not None
    assert standard.standing is not None
    assert limited.standing.guaranteed == sorted(
        {*result.guaranteed, "Legendary"}, key=lambda tier: app.config.tier_rank[tier]
    )
    assert standard.standing.guaranteed == []


async def test_open_now_only_reads(app: FayeApp) -> None:
    """A player who never pulled on a group has no pity rows there; looking at banners adds none."""
    await register(app, "u1")
    before = await count_rows(app, PITY)
    await app.banners.open_now("u1")
    assert await count_rows(app, PITY) == before


# --- history ----------------------------------------------------------------------------------------------


async def test_history_pages_newest_first_with_filters(app: FayeApp) -> None:
    await rich(app, "u1")
    first = await app.summons.summon("u1", 10)
    limited = await app.summons.summon("u1", 10, LIMITED)
    last = await app.summons.summon("u1", 1)
    pulled = [*first.esprits, *limited.esprits, *last.esprits]
    size = app.config.settings.inventory_page_size
    assert size == 10
    page1 = await app.banners.history("u1")
    assert (page1.page, page1.pages, page1.total, page1.banner, page1.tier) == (1, 3, 21, None, None)
    assert [p.n for p in page1.pulls] == list(range(21, 11, -1))
    page3 = await app.banners.history("u1", page=3)
    assert [p.n for p in page3.pulls] == [1]
    every = [*page1.pulls, *(await app.banners.history("u1", page=2)).pulls, *page3.pulls]
    assert [(p.esprit_id, p.featured) for p in reversed(every)] == [(e.esprit_id, e.featured) for e in pulled]
    assert [p.banner for p in reversed(every)] == ["standard"] * 10 + [LIMITED] * 10 + ["standard"]
    for entry in every:
        assert entry.tier == app.config.esprits_by_id[entry.esprit_id].rarity
        assert entry.name == app.config.esprits_by_id[entry.esprit_id].name
        assert entry.at == START
    assert every[-11].pity_before == {"Epic": 0, "Legendary": 0}  # the first pull on the limited group
    on_limited = await app.banners.history("u1", banner_id=LIMITED)
    assert (on_limited.total, on_limited.pages, on_limited.banner) == (10, 1, LIMITED)
    assert [p.n for p in on_limited.pulls] == list(range(20, 10, -1))
    tiers = {p.tier for p in every}
    for tier in tiers:
        filtered = await app.banners.history("u1", tier=tier.upper())
        assert filtered.tier == tier
        assert [p.n for p in filtered.pulls] == [p.n for p in every if p.tier == tier][:size]
        assert filtered.total == sum(1 for p in every if p.tier == tier)


async def test_history_is_per_player_and_empty_before_any_pull(app: FayeApp) -> None:
    await rich(app, "u1")
    await register(app, "u2")
    await app.summons.summon("u1", 10)
    empty = await app.banners.history("u2")
    assert (empty.pulls, empty.page, empty.pages, empty.total) == ([], 1, 1, 0)


@pytest.mark.parametrize(
    ("kwargs", "error", "field"),
    [
        ({"banner_id": "nope"}, NotFound, None),
        ({"tier": "Shiny"}, InvalidArgument, "tier"),
        ({"page": 2}, InvalidArgument, "page"),
        ({"page": 0}, InvalidArgument, "page"),
        ({"banner_id": LIMITED, "page": 2}, InvalidArgument, "page"),
    ],
)
async def test_history_refusals(app: FayeApp, kwargs: dict[str, Any], error: type[Exception], field: str) -> None:
    await register(app, "u1")
    await app.summons.summon("u1", 10)
    with pytest.raises(error) as caught:
        await app.banners.history("u1", **kwargs)
    assert isinstance(caught.value, FayeError)
    if field is not None:
        assert caught.value.details["field"] == field


async def test_history_refuses_an_unknown_player(app: FayeApp) -> None:
    with pytest.raises(NotRegistered):
        await app.banners.history("ghost")


# --- luck -------------------------------------------------------------------------------------------------

#: (banner, tier, featured, Epic counter before, Legendary counter before): the crafted sequence.
CRAFTED = [
    ("standard", "Common", False, 0, 0),
    ("standard", "Epic", False, 1, 1),
    ("standard", "Legendary", False, 0, 2),
    ("standard", "Rare", False, 0, 0),
    (LIMITED, "Mythic", False, 4, 40),
    (LIMITED, "Legendary", True, 0, 80),
    (LIMITED, "Rare", False, 0, 0),
    (LIMITED, "Epic", False, 9, 1),
]


async def craft(app: FayeApp, user_id: str) -> None:
    """Write CRAFTED as the player's pull records (pulls 1, 2, ...)."""
    config = app.config
    rows = []
    for n, (banner, tier, featured, epic, legendary) in enumerate(CRAFTED, start=1):
        species = config.esprits_by_tier[config.tier_rank[tier]][0]
        rows.append(
            {
                "user_id": user_id,
                "n": n,
                "banner_id": banner,
                "pity_group": config.banners_by_id[banner].group,
                "tier": tier,
                "esprit_data_id": species.esprit_id,
                "esprit_id": 1000 + n,
                "featured": featured,
                "pity_before": {"Epic": epic, "Legendary": legendary},
                "guaranteed_before": [],
                "at": START + timedelta(minutes=n),
            }
        )
    async with app.context.db.write() as session:
        await session.execute(insert(PULLS), rows)


def sooner(chain: PityChain, tier: int, pulls: int) -> float:
    """P(X < pulls), X the long-run gap between pulls of `tier` or higher: summed from the pmf here."""
    (passage,) = chain.passages(chain.after(tier), [tier])
    return float(np.sum(passage.pmf[: pulls - 1]))


async def test_luck_places_each_hit_in_the_exact_distribution(app: FayeApp) -> None:
    await register(app, "u1")
    await craft(app, "u1")
    chain = PityChain.of(app.context.rarity)
    report = await app.banners.luck("u1")
    assert (report.user_id, report.banner, report.pulls) == ("u1", None, len(CRAFTED))
    epic, legendary = report.tiers
    assert [(h.n, h.tier, h.pulls) for h in epic.hits] == [
        (2, "Epic", 2),
        (3, "Legendary", 1),
        (5, "Mythic", 5),
        (6, "Legendary", 1),
        (8, "Epic", 10),
    ]
    assert [(h.n, h.pulls) for h in legendary.hits] == [(3, 3), (6, 81)]
    for luck, tier in ((epic, 3), (legendary, 5)):
        for hit in luck.hits:
            assert hit.sooner == pytest.approx(sooner(chain, tier, hit.pulls), abs=1e-12)
        (passage,) = chain.passages(chain.after(tier), [tier])
        assert luck.mean_pulls == pytest.approx(passage.mean)
    assert epic.hits[1].sooner == 0.0  # one pull: nobody is sooner
    assert epic.hits[-1].sooner == pytest.approx(1.0 - sooner_at_hard(chain))
    assert 0.5 < legendary.hits[-1].sooner < 1.0  # 81 pulls is later than most (the mean is about 62)
    assert legendary.hits[0].sooner == pytest.approx(1 - (1 - 0.006) ** 2)  # before soft pity: two misses at 0.6 %


def sooner_at_hard(chain: PityChain) -> float:
    """P(the Epic gap is exactly its hard pity, 10)."""
    (passage,) = chain.passages(chain.after(3), [3])
    return float(passage.pmf[9])


async def test_luck_rates_against_the_published_rate(app: FayeApp) -> None:
    await register(app, "u1")
    await craft(app, "u1")
    chain = PityChain.of(app.context.rarity)
    epic, legendary = (await app.banners.luck("u1")).tiers
    assert (epic.tier, epic.pulls, epic.count, epic.rate) == ("Epic", 8, 5, 5 / 8)
    assert (legendary.pulls, legendary.count, legendary.rate) == (8, 2, 2 / 8)
    for luck, tier in ((epic, 3), (legendary, 5)):
        published = float(sum(chain.rates[tier:]))
        assert luck.published_rate == pytest.approx(published)
        assert luck.interval == pytest.approx(wilson_interval(luck.count, luck.pulls))
        assert luck.consistent == (luck.interval[0] <= published <= luck.interval[1])
    assert not legendary.consistent  # two Legendaries in eight pulls is far above 1.6 %


async def test_luck_on_one_banner_and_the_featured_share(app: FayeApp) -> None:
    await register(app, "u1")
    await craft(app, "u1")
    report = await app.banners.luck("u1", banner_id=LIMITED)
    assert (report.banner, report.pulls) == (LIMITED, 4)
    epic, legendary = report.tiers
    assert [h.n for h in epic.hits] == [5, 6, 8]
    assert [(h.n, h.pulls) for h in legendary.hits] == [(6, 81)]
    assert (legendary.count, legendary.pulls) == (1, 4)
    assert (report.featured_hits, report.featured_chances) == (1, 2)  # the Mythic and the Legendary
    assert report.featured_share == pytest.approx(2 / 3)
    standard = await app.banners.luck("u1", banner_id="standard")
    assert (standard.pulls, standard.featured_hits, standard.featured_chances, standard.featured_share) == (
        4,
        0,
        0,
        None,
    )
    everything = await app.banners.luck("u1")
    assert (everything.featured_hits, everything.featured_chances) == (1, 2)


async def test_luck_of_live_summons_reads_their_recorded_counters(app: FayeApp) -> None:
    """Each Epic-or-higher pull took the pulls since the previous one (a new player's counters start at 0)."""
    await rich(app, "u1")
    tiers: list[str] = []
    for _ in range(4):
        tiers.extend(e.rarity for e in (await app.summons.summon("u1", 10)).esprits)
    rank = app.config.tier_rank
    hits_at = [n for n, tier in enumerate(tiers, start=1) if rank[tier] >= rank["Epic"]]
    assert len(hits_at) >= 3  # Epic's hard pity is 10
    epic = (await app.banners.luck("u1")).tiers[0]
    assert [h.n for h in epic.hits] == hits_at
    assert [h.pulls for h in epic.hits] == [b - a for a, b in zip([0, *hits_at], hits_at, strict=False)]


async def test_luck_refusals(app: FayeApp) -> None:
    await register(app, "u1")
    with pytest.raises(NotFound):
        await app.banners.luck("u1", banner_id="nope")
    with pytest.raises(NotRegistered):
        await app.banners.luck("ghost")
    empty = await app.banners.luck("u1")
    assert empty.pulls == 0
    assert [(t.count, t.hits, t.rate, t.interval) for t in empty.tiers] == [(0, [], 0.0, (0.0, 1.0))] * 2


# --- prune ------------------------------------------------------------------------------------------------


async def test_prune_previews_then_deletes_what_is_past_the_retention(app: FayeApp, clock: FixedClock) -> None:
    await rich(app, "u1")
    await register(app, "u2")
    await app.summons.summon("u1", 10)
    await app.summons.summon("u2", 1)
    clock.advance(timedelta(days=30))
    await app.summons.summon("u1", 1)
    clock.advance(timedelta(days=65))  # START + 95 days: the first 10-pull is past the 90 days, the single is not
    cut = clock.now() - timedelta(days=app.config.retention_days)
    assert app.config.retention_days == 90
    preview = await app.banners.prune(CONSOLE)
    assert (preview.before, preview.rows, preview.applied) == (cut, 10, False)
    assert await count_rows(app, PullRecord) == 12
    done = await app.banners.prune(ADMIN_ID, apply=True)
    assert (done.before, done.rows, done.applied) == (cut, 10, True)
    assert [p.n for p in (await app.banners.history("u1")).pulls] == [11]
    # u2's only pull is as old, but a player's latest pull stays: the numbering goes on from it
    assert [p.n for p in (await app.banners.history("u2")).pulls] == [1]
    assert (await app.banners.prune(CONSOLE)).rows == 0
    await app.summons.summon("u1", 1)
    assert [p.n for p in (await app.banners.history("u1")).pulls] == [12, 11]


async def test_nothing_is_pruned_within_the_retention(app: FayeApp, clock: FixedClock) -> None:
    await register(app, "u1")
    await app.summons.summon("u1", 1)
    await app.summons.summon("u1", 1)
    clock.advance(timedelta(days=90))
    assert (await app.banners.prune(CONSOLE, apply=True)).rows == 0  # exactly 90 days old is still kept
    clock.advance(timedelta(microseconds=1))
    assert (await app.banners.prune(CONSOLE, apply=True)).rows == 1


@pytest.mark.parametrize("actor", ["u1", "", "ADMIN-1", "console"])
async def test_prune_by_non_admin_is_forbidden(app: FayeApp, clock: FixedClock, actor: str) -> None:
    await register(app, "u1")
    await app.summons.summon("u1", 1)
    await app.summons.summon("u1", 1)
    clock.advance(timedelta(days=200))
    for apply in (False, True):
        with pytest.raises(Forbidden):
            await app.banners.prune(actor, apply=apply)
    assert await count_rows(app, PullRecord) == 2
