"""A process killed with SIGKILL in the middle of a stream of trades leaves a consistent database: every trade
either happened whole or not at all."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import sys
from asyncio.subprocess import PIPE
from datetime import timedelta
from pathlib import Path

import pytest

from faye.clock import FixedClock
from faye.services.admin import CONSOLE
from faye.settings import DEFAULT_CONFIG_DIR
from tests.conftest import START, assert_conserved, ledger_rows, open_app, register

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
TEN_PULLS = 4
NOW = START + timedelta(days=2)


def no_confirm_delay(tmp_path: Path) -> Path:
    """The shipped game data without the confirm delay, so one process can run trade after trade."""
    config_dir = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, config_dir)
    path = config_dir / "game_settings.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["trade"] |= {"confirm_delay_seconds": 0, "max_open_trades": 100}
    path.write_text(json.dumps(data), encoding="utf-8")
    return config_dir


async def test_sigkill_during_trades_leaves_a_consistent_database(db_url: str, tmp_path: Path) -> None:
    config_dir = no_confirm_delay(tmp_path)
    async with open_app(db_url, FixedClock(START), config_dir=config_dir) as app:
        for user in ("ana", "ben"):
            await register(app, user)
            await app.admin.grant(CONSOLE, user, "gems", TEN_PULLS * app.config.settings.summon.ten_cost)
            for _ in range(TEN_PULLS):
                await app.summons.summon(user, 10)
        spares = (await app.collection.inventory("ana")).total - 1
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAYE_")} | {"FAYE_CONFIG_DIR": str(config_dir)}
    stream = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.service.trade_stream", db_url, NOW.isoformat(), cwd=REPO, env=env, stdout=PIPE
    )
    assert stream.stdout is not None
    traded = [await stream.stdout.readline() for _ in range(5)]  # the stream is well under way
    assert all(line.startswith(b"traded") for line in traded), traded
    stream.send_signal(signal.SIGKILL)
    assert await asyncio.wait_for(stream.wait(), 30) == -signal.SIGKILL
    async with open_app(db_url, FixedClock(NOW), config_dir=config_dir) as app:
        report = await app.admin.audit(CONSOLE)
        assert report.problems == []
        executed = len(await ledger_rows(app, "ben", "trade"))
        assert 5 <= executed < spares  # killed mid-stream, not before and not after
        assert (await app.collection.inventory("ben")).total == 1 + 10 * TEN_PULLS + executed
        await assert_conserved(app)
