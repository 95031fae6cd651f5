"""Every refusal of training, ascension, release and listing a locked Esprit, on both databases: each is the
stable code, and nothing changed — balances, Esprits, ledger and history rows — and the audit stays clean."""

from __future__ import annotations

import json
import shutil
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import pytest

from faye.app import FayeApp
from faye.errors import FayeError
from faye.services.admin import CONSOLE
from faye.services.progression import ReleaseSelection
from faye.settings import DEFAULT_CONFIG_DIR
from tests.conftest import AppFactory, assert_conserved, register
from tests.service.progression_setup import copies, everything, state

#: The virelite each rank costs in the `ladder` game: more than any player holds without a grant.
DEAR = 50


async def refused(app: FayeApp, code: str, call: Coroutine[Any, Any, Any]) -> FayeError:
    """Await `call`, expect the refusal `code`, and check that nothing changed and the books still balance."""
    before = await state(app)
    with pytest.raises(FayeError) as caught:
        await call
    assert caught.value.code == code, caught.value.message
    assert await state(app) == before
    report = await app.admin.audit(CONSOLE)
    assert report.problems == []
    await assert_conserved(app, escrowed=report.open_listings)
    return caught.value


@pytest.fixture
async def ladder(app_factory: AppFactory, tmp_path: Path) -> FayeApp:
    """The game with one ascension rank that consumes two duplicates and `DEAR` virelite (data/config copied,
    progression.json tuned), so the highest rank and a rank one cannot afford are quick to reach."""
    config_dir = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, config_dir)
    path = config_dir / "progression.json"
    rules = json.loads(path.read_text())
    rules["ascension"].update(max_rank=1, copies_per_rank=[2])
    for growth in rules["rarities"].values():
        growth["ascension_virelite"] = [DEAR]
    path.write_text(json.dumps(rules))
    trials = config_dir / "battle.json"  # only the stages whose enemies the one rank left allows
    battle = json.loads(trials.read_text())
    stages = battle["trials"]["stages"]
    battle["trials"]["stages"] = [s for s in stages if all(e.get("ascension", 0) <= 1 for e in s["enemies"])]
    trials.write_text(json.dumps(battle))
    return await app_factory(config_dir=config_dir)


# --- training ------------------------------------------------------------------------------------------------


async def test_training_at_the_level_cap(app: FayeApp) -> None:
    esprit = (await register(app, "ann")).starter
    await app.admin.grant(CONSOLE, "ann", "faylen", 1_000_000)
    await app.progression.train("ann", esprit.id, faylen=1_000_000)
    assert (await app.collection.esprit("ann", esprit.id)).level == esprit.level_cap
    await app.progression.lock("ann", esprit.id)  # locked and at the cap: still the cap that refuses
    for how in ({"levels": 1}, {"faylen": 10}):
        error = await refused(app, "level_cap", app.progression.train("ann", esprit.id, **how))
        assert error.details["level_cap"] == esprit.level_cap
        assert str(esprit.id) in error.message


@pytest.mark.parametrize("how", [{"levels": 0}, {"levels": -1}, {"levels": 10**30}, {"faylen": 0}, {"faylen": -5}])
async def test_training_by_an_amount_out_of_bounds(app: FayeApp, how: dict[str, int]) -> None:
    esprit = (await register(app, "ann")).starter
    await refused(app, "invalid_amount", app.progression.train("ann", esprit.id, **how))


@pytest.mark.parametrize("how", [{}, {"levels": 1, "faylen": 10}])
async def test_training_by_both_or_neither_levels_and_faylen(app: FayeApp, how: dict[str, int]) -> None:
    esprit = (await register(app, "ann")).starter
    await refused(app, "invalid_argument", app.progression.train("ann", esprit.id, **how))


# --- ascension -----------------------------------------------------------------------------------------------


async def test_ascending_with_another_species(app: FayeApp) -> None:
    await register(app, "ann")
    target, _ = await copies(app, "ann", 2)
    other = next(e for e in await everything(app, "ann") if e.esprit_id != target.esprit_id and not e.active)
    error = await refused(app, "wrong_species", app.progression.ascend("ann", target.id, using=[other.id]))
    assert error.details["esprit_id"] == other.id


async def test_ascending_with_the_target_as_its_own_fodder(app: FayeApp) -> None:
    await register(app, "ann")
    target, _ = await copies(app, "ann", 2)
    await refused(app, "invalid_argument", app.progression.ascend("ann", target.id, using=[target.id]))


async def test_ascending_with_locked_fodder(app: FayeApp) -> None:
    await register(app, "ann")
    target, fodder = await copies(app, "ann", 2)
    await app.progression.lock("ann", fodder.id)
    await refused(app, "locked", app.progression.ascend("ann", target.id, using=[fodder.id]))
    await refused(app, "not_enough_copies", app.progression.ascend("ann", target.id))  # never chosen for you


async def test_ascending_with_escrowed_fodder(app: FayeApp) -> None:
    await register(app, "ann")
    target, fodder = await copies(app, "ann", 2)
    listing = (await app.auction.create_listing("ann", fodder.id, 100)).listing
    error = await refused(app, "in_escrow", app.progression.ascend("ann", target.id, using=[fodder.id]))
    assert error.details["listing_id"] == listing.id
    await refused(app, "not_enough_copies", app.progression.ascend("ann", target.id))


async def test_ascending_with_the_active_esprit_as_fodder(app: FayeApp) -> None:
    await register(app, "ann")
    target, fodder = await copies(app, "ann", 2)
    await app.collection.set_active("ann", fodder.id)
    await refused(app, "active_esprit", app.progression.ascend("ann", target.id, using=[fodder.id]))
    await refused(app, "not_enough_copies", app.progression.ascend("ann", target.id))


async def test_ascending_with_too_few_copies(app: FayeApp) -> None:
    starter = (await register(app, "ann")).starter  # the only one of its species
    error = await refused(app, "not_enough_copies", app.progression.ascend("ann", starter.id))
    assert (error.details["needed"], error.details["offered"]) == (1, 0)
    await refused(app, "not_enough_copies", app.progression.ascend("ann", starter.id, using=[]))


async def test_ascending_naming_too_few_copies(ladder: FayeApp) -> None:
    await register(ladder, "ann")
    await ladder.admin.grant(CONSOLE, "ann", "virelite", DEAR)
    target, fodder, _ = await copies(ladder, "ann", 3)
    error = await refused(ladder, "not_enough_copies", ladder.progression.ascend("ann", target.id, using=[fodder.id]))
    assert (error.details["needed"], error.details["offered"]) == (2, 1)


async def test_ascending_without_the_virelite(ladder: FayeApp) -> None:
    await register(ladder, "ann")
    target, *fodder = await copies(ladder, "ann", 3)
    assert (await ladder.economy.profile("ann")).virelite < DEAR
    await refused(ladder, "insufficient_funds", ladder.progression.ascend("ann", target.id))
    await refused(
        ladder, "insufficient_funds", ladder.progression.ascend("ann", target.id, using=[e.id for e in fodder])
    )


async def test_ascending_at_the_highest_rank(ladder: FayeApp) -> None:
    await register(ladder, "ann")
    await ladder.admin.grant(CONSOLE, "ann", "virelite", 2 * DEAR)
    target, *spare = await copies(ladder, "ann", 5)
    assert (await ladder.progression.ascend("ann", target.id)).esprit.ascension == 1
    remaining = [e.id for e in spare if e.id in {o.id for o in await everything(ladder, "ann")}]
    assert len(remaining) == 2
    error = await refused(ladder, "level_cap", ladder.progression.ascend("ann", target.id))
    assert error.details["ascension"] == 1
    await refused(ladder, "level_cap", ladder.progression.ascend("ann", target.id, using=remaining))


# --- release -------------------------------------------------------------------------------------------------


async def test_releasing_the_active_esprit(app: FayeApp) -> None:
    starter = (await register(app, "ann")).starter
    error = await refused(app, "active_esprit", app.progression.release("ann", ReleaseSelection(ids=(starter.id,))))
    assert str(starter.id) in error.message


async def test_releasing_a_locked_esprit(app: FayeApp) -> None:
    await register(app, "ann")
    mine, other = await copies(app, "ann", 2)
    await app.progression.lock("ann", mine.id)
    await refused(app, "locked", app.progression.release("ann", ReleaseSelection(ids=(mine.id,))))
    await refused(app, "locked", app.progression.release("ann", ReleaseSelection(ids=(other.id, mine.id))))


async def test_releasing_an_escrowed_esprit(app: FayeApp) -> None:
    await register(app, "ann")
    mine, other = await copies(app, "ann", 2)
    await app.auction.create_listing("ann", mine.id, 100)
    await refused(app, "in_escrow", app.progression.release("ann", ReleaseSelection(ids=(other.id, mine.id))))


async def test_releasing_another_players_esprit(app: FayeApp) -> None:
    await register(app, "ann")
    theirs = (await register(app, "bo")).starter
    await refused(app, "not_owner", app.progression.release("ann", ReleaseSelection(ids=(theirs.id,))))


@pytest.mark.parametrize(
    "selection",
    [
        ReleaseSelection(below_level=1),
        ReleaseSelection(rarity="Legendary", below_level=2),
        ReleaseSelection(duplicates=True, keep=1_000),
    ],
    ids=["below-level-1", "rarity-and-level", "keep-all"],
)
async def test_releasing_by_a_filter_that_matches_nothing(app: FayeApp, selection: ReleaseSelection) -> None:
    await register(app, "ann")
    await copies(app, "ann", 2)
    await refused(app, "nothing_matched", app.progression.release("ann", selection))


async def test_a_filter_matching_only_locked_and_active_esprits(app: FayeApp) -> None:
    starter = (await register(app, "ann")).starter
    for esprit in await everything(app, "ann"):
        if esprit.id != starter.id:
            await app.progression.lock("ann", esprit.id)
    error = await refused(app, "nothing_matched", app.progression.release("ann", ReleaseSelection(below_level=2)))
    assert {why: n for why, n in error.details["skipped"].items() if n} == {"active": 1}


# --- the auction ---------------------------------------------------------------------------------------------


async def test_listing_a_locked_esprit(app: FayeApp) -> None:
    await register(app, "ann")
    (esprit,) = await copies(app, "ann", 1)
    await app.progression.lock("ann", esprit.id)
    error = await refused(app, "locked", app.auction.create_listing("ann", esprit.id, 100))
    assert error.details["esprit_id"] == esprit.id
