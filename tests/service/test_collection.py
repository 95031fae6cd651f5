"""The inventory (filters, sorts, pages), one Esprit's detail, and the active Esprit."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pytest
from sqlalchemy import select, update
from sqlmodel import col

from faye.app import FayeApp
from faye.config import GameConfig
from faye.errors import InvalidArgument, NotFound, NotOwner, NotRegistered
from faye.models import UserEsprit
from faye.results import OwnedEsprit
from tests.conftest import register

PULLS = 3  # ten-pulls: with the starter, 31 Esprits


@dataclass
class Owned:
    id: int
    name: str
    rarity: str
    level: int


async def stocked(app: FayeApp, user_id: str = "u1", pulls: int = PULLS) -> list[Owned]:
    """A player with 1 + 10 x pulls Esprits, a few of them levelled up; returns what the database holds."""
    settings = app.config.settings.summon
    await register(app, user_id)
    await app.admin.grant("admin-1", user_id, settings.currency.value, pulls * settings.ten_cost)
    for _ in range(pulls):
        await app.summons.summon(user_id, 10)
    async with app.context.db.write() as session:
        ids = (
            await session.execute(
                select(col(UserEsprit.id)).where(col(UserEsprit.owner_id) == user_id).order_by(col(UserEsprit.id))
            )
        ).scalars()
        for i, esprit_id in enumerate(list(ids)):
            if i % 4 == 1:  # test setup only: vary levels so the level sort has something to order
                await session.execute(
                    update(UserEsprit).where(col(UserEsprit.id) == esprit_id).values(current_level=1 + i % 7)
                )
    return await owned_rows(app, user_id)


async def owned_rows(app: FayeApp, user_id: str) -> list[Owned]:
    async with app.context.db.read() as session:
        rows = (
            await session.execute(
                select(UserEsprit).where(col(UserEsprit.owner_id) == user_id).order_by(col(UserEsprit.id))
            )
        ).scalars()
        out = []
        for row in rows:
            definition = app.config.esprits_by_id[row.esprit_data_id]
            assert row.id is not None
            out.append(Owned(row.id, definition.name, definition.rarity, row.current_level))
    return out


async def all_pages(app: FayeApp, user_id: str, **filters: object) -> list[OwnedEsprit]:
    first = await app.collection.inventory(user_id, **filters)  # type: ignore[arg-type]
    items = list(first.items)
    for page in range(2, first.pages + 1):
        items.extend((await app.collection.inventory(user_id, page=page, **filters)).items)  # type: ignore[arg-type]
    assert len(items) == first.total
    return items


async def test_rarity_filter_is_case_insensitive(app: FayeApp, config: GameConfig) -> None:
    owned = await stocked(app)
    common = config.tier_names[0]
    for spelling in (common, common.lower(), common.upper()):
        items = await all_pages(app, "u1", rarity=spelling)
        assert sorted(e.id for e in items) == [o.id for o in owned if o.rarity == common]
        assert all(e.rarity == common for e in items)
    for tier in config.tier_names:
        page = await app.collection.inventory("u1", rarity=tier.swapcase())
        assert page.total == sum(1 for o in owned if o.rarity == tier)


async def test_search_is_a_case_insensitive_substring(app: FayeApp) -> None:
    owned = await stocked(app)
    sample = owned[0].name
    for needle in (sample[1:4].upper(), sample[1:4].lower(), sample.upper(), "o", "E"):
        items = await all_pages(app, "u1", search=needle)
        assert sorted(e.id for e in items) == [o.id for o in owned if needle.lower() in o.name.lower()], needle
    assert (await app.collection.inventory("u1", search="zzzz-no-such")).total == 0


@pytest.mark.parametrize("needle", ["%", "_", "o%", "%o", "_o", "/", "\\"])
async def test_search_treats_wildcards_literally(app: FayeApp, needle: str) -> None:
    owned = await stocked(app, pulls=1)
    assert not any(needle in o.name for o in owned)
    page = await app.collection.inventory("u1", search=needle)
    assert page.total == 0
    assert page.items == []


async def test_search_and_rarity_combine(app: FayeApp, config: GameConfig) -> None:
    owned = await stocked(app)
    tier = owned[-1].rarity
    items = await all_pages(app, "u1", rarity=tier, search="e")
    assert sorted(e.id for e in items) == [o.id for o in owned if o.rarity == tier and "e" in o.name.lower()]


async def test_sort_by_rarity(app: FayeApp, config: GameConfig) -> None:
    owned = await stocked(app)
    rank = config.tier_rank
    items = await all_pages(app, "u1", sort="rarity")
    expected = sorted(owned, key=lambda o: (-rank[o.rarity], o.name, o.id))
    assert [e.id for e in items] == [o.id for o in expected]
    ranks = [rank[e.rarity] for e in items]
    assert ranks == sorted(ranks, reverse=True)
    assert len(set(ranks)) >= 2


async def test_default_sort_is_rarity(app: FayeApp) -> None:
    await stocked(app, pulls=1)
    default = await app.collection.inventory("u1")
    explicit = await app.collection.inventory("u1", sort="rarity")
    assert [e.id for e in default.items] == [e.id for e in explicit.items]


async def test_sort_by_level(app: FayeApp, config: GameConfig) -> None:
    owned = await stocked(app)
    rank = config.tier_rank
    items = await all_pages(app, "u1", sort="level")
    expected = sorted(owned, key=lambda o: (-o.level, -rank[o.rarity], o.name, o.id))
    assert [e.id for e in items] == [o.id for o in expected]
    assert [e.level for e in items] == sorted((o.level for o in owned), reverse=True)
    assert items[0].level > items[-1].level


async def test_sort_by_name(app: FayeApp) -> None:
    owned = await stocked(app)
    items = await all_pages(app, "u1", sort="name")
    assert [e.id for e in items] == [o.id for o in sorted(owned, key=lambda o: (o.name, o.id))]


async def test_sort_newest_first(app: FayeApp) -> None:
    owned = await stocked(app)
    items = await all_pages(app, "u1", sort="newest")
    assert [e.id for e in items] == sorted((o.id for o in owned), reverse=True)


async def test_paging(app: FayeApp, config: GameConfig) -> None:
    owned = await stocked(app)
    size = config.settings.inventory_page_size
    first = await app.collection.inventory("u1", sort="newest")
    assert first.page_size == size
    assert first.total == len(owned) == 1 + 10 * PULLS
    assert first.pages == math.ceil(len(owned) / size)
    assert first.page == 1
    seen: list[int] = []
    for page in range(1, first.pages + 1):
        result = await app.collection.inventory("u1", sort="newest", page=page)
        assert result.page == page
        assert len(result.items) == (size if page < first.pages else len(owned) - size * (first.pages - 1))
        seen.extend(e.id for e in result.items)
    assert seen == sorted((o.id for o in owned), reverse=True)
    beyond = await app.collection.inventory("u1", sort="newest", page=first.pages + 1)
    assert beyond.items == []
    assert beyond.total == len(owned)
    assert beyond.pages == first.pages
    far = await app.collection.inventory("u1", page=1000)
    assert far.items == []


async def test_empty_filter_has_one_page(app: FayeApp) -> None:
    await register(app, "u1")
    page = await app.collection.inventory("u1", search="no such esprit")
    assert (page.total, page.pages, page.items) == (0, 1, [])


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"sort": "power"}, "sort"),
        ({"sort": "RARITY"}, "sort"),
        ({"rarity": "Ultra"}, "rarity"),
        ({"rarity": ""}, "rarity"),
        ({"page": 0}, "page"),
        ({"page": -3}, "page"),
    ],
)
async def test_bad_arguments_are_refused(app: FayeApp, kwargs: dict[str, object], field: str) -> None:
    await register(app, "u1")
    with pytest.raises(InvalidArgument) as caught:
        await app.collection.inventory("u1", **kwargs)  # type: ignore[arg-type]
    assert caught.value.details["field"] == field
    assert caught.value.code == "invalid_argument"


async def test_inventory_of_unknown_player(app: FayeApp) -> None:
    with pytest.raises(NotRegistered):
        await app.collection.inventory("ghost")


async def test_inventory_shows_only_own_esprits(app: FayeApp) -> None:
    mine = await stocked(app, "u1", pulls=1)
    theirs = await stocked(app, "u2", pulls=1)
    assert {e.id for e in await all_pages(app, "u1")} == {o.id for o in mine}
    assert {e.id for e in await all_pages(app, "u2")} == {o.id for o in theirs}


async def test_esprit_detail_of_own(app: FayeApp, config: GameConfig) -> None:
    reg = await register(app, "u1")
    detail = await app.collection.esprit("u1", reg.starter.id)
    definition = config.esprits_by_id[reg.starter.esprit_id]
    assert detail.id == reg.starter.id
    assert detail.owner_id == "u1"
    assert detail.active is True
    assert detail.description == definition.description
    assert detail.stats == definition.stats.model_dump()
    assert detail.max_hp == definition.stats.hp


async def test_esprit_detail_of_another_players(app: FayeApp) -> None:
    await register(app, "u1")
    other = await register(app, "u2")
    with pytest.raises(NotOwner) as caught:
        await app.collection.esprit("u1", other.starter.id)
    assert caught.value.details["esprit_id"] == other.starter.id


async def test_esprit_detail_of_unknown_id(app: FayeApp) -> None:
    await register(app, "u1")
    with pytest.raises(NotFound):
        await app.collection.esprit("u1", 987654)


async def test_set_active_moves_the_flag(app: FayeApp) -> None:
    reg = await register(app, "u1")
    result = await app.summons.summon("u1", 1)
    new_id = result.esprits[0].id
    chosen = await app.collection.set_active("u1", new_id)
    assert chosen.id == new_id
    assert chosen.active
    items = await all_pages(app, "u1")
    assert [e.id for e in items if e.active] == [new_id]
    assert not (await app.collection.esprit("u1", reg.starter.id)).active
    assert (await app.collection.esprit("u1", new_id)).active
    profile = await app.economy.profile("u1")
    assert profile.active_esprit is not None
    assert profile.active_esprit.id == new_id


async def test_set_active_on_another_players_esprit(app: FayeApp) -> None:
    reg = await register(app, "u1")
    other = await register(app, "u2")
    with pytest.raises(NotOwner):
        await app.collection.set_active("u1", other.starter.id)
    profile = await app.economy.profile("u1")
    assert profile.active_esprit is not None
    assert profile.active_esprit.id == reg.starter.id
    assert (await app.economy.profile("u2")).active_esprit.id == other.starter.id  # type: ignore[union-attr]


async def test_set_active_unknown_id(app: FayeApp) -> None:
    await register(app, "u1")
    with pytest.raises(NotFound):
        await app.collection.set_active("u1", 987654)
