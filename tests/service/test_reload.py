"""Live configuration: a reload validates every file first (a broken one changes nothing and says which file and
field), then swaps the game data whole; an interaction that pinned the old data finishes on it."""

from __future__ import annotations

import asyncio
import logging
import shutil
from pathlib import Path

import pytest

from faye.clock import FixedClock
from faye.config import TIERS_FILE
from faye.disclosure import disclose_rates
from faye.errors import ConfigError
from faye.settings import DEFAULT_CONFIG_DIR
from tests.conftest import open_app, register
from tests.unit.test_config import edit_json


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    target = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, target)
    return target


def legendary_weight(data: dict[str, list[dict[str, object]]], weight: float) -> None:
    data["tiers"][-1]["weight"] = weight


async def test_a_broken_file_changes_nothing_and_names_the_file_and_field(
    db_url: str, clock: FixedClock, config_dir: Path
) -> None:
    async with open_app(db_url, clock, config_dir=config_dir) as app:
        before = app.context.rules.current
        published = disclose_rates(app.config).tiers[-1].consolidated_rate
        edit_json(config_dir / TIERS_FILE, lambda data: legendary_weight(data, -1))
        with pytest.raises(ConfigError) as refused:
            await app.reload_config()
        assert any(TIERS_FILE in problem and "weight" in problem for problem in refused.value.problems)
        assert app.context.rules.current is before
        assert disclose_rates(app.config).tiers[-1].consolidated_rate == published


async def test_a_reload_changes_rates_and_disclosure_at_once_and_logs_the_digest(
    db_url: str, clock: FixedClock, config_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with open_app(db_url, clock, config_dir=config_dir) as app:
        old_rate = disclose_rates(app.config).tiers[-1].consolidated_rate
        old_rarity = app.context.rarity
        edit_json(config_dir / TIERS_FILE, lambda data: legendary_weight(data, 0.05))
        with caplog.at_level(logging.INFO, logger="faye.app"):
            reloaded = await app.reload_config()
        assert reloaded.changed == [TIERS_FILE]
        assert reloaded.before != reloaded.after
        assert f"-> {reloaded.after}" in caplog.text
        assert disclose_rates(app.config).tiers[-1].consolidated_rate > old_rate
        assert app.context.rarity is not old_rarity
        assert app.context.rarity.rules[-1].base > old_rarity.rules[-1].base
        again = await app.reload_config()
        assert (again.before, again.after, again.changed) == (reloaded.after, reloaded.after, [])


async def test_an_interaction_in_flight_finishes_on_the_rules_it_started_with(
    db_url: str, clock: FixedClock, config_dir: Path
) -> None:
    async with open_app(db_url, clock, config_dir=config_dir) as app:
        await register(app, "ana")
        started, swapped = asyncio.Event(), asyncio.Event()
        old = app.context.rules.current

        async def interaction() -> tuple[object, object]:
            app.context.rules.pin()  # as the Discord tree does when an interaction arrives
            first = app.context.config
            started.set()
            await swapped.wait()
            return first, app.context.config

        running = asyncio.create_task(interaction())
        await started.wait()
        edit_json(config_dir / TIERS_FILE, lambda data: legendary_weight(data, 0.05))
        await app.reload_config()
        swapped.set()
        first, last = await running
        assert first is last is old.config, "the pinned interaction keeps the data it started with"
        assert app.context.config is not old.config, "what starts after the reload plays by the new data"
