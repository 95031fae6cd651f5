"""`faye-discord`: --check offline, and clear exits without a token or with bad settings."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import discord
import pytest

from discord_frontend import main as entry
from discord_frontend.bot import EXTENSIONS, FayeBot, SyncPlan
from faye.errors import DatabaseUnavailable
from faye.settings import Settings

COMMANDS = (
    "/start",
    "/balance",
    "/profile",
    "/daily",
    "/summon",
    "/inventory",
    "/active",
    "/esprit show",
    "/esprit train",
    "/esprit ascend",
    "/esprit history",
    "/release",
    "/trade open",
    "/trade show",
    "/lock",
    "/unlock",
    "/leaderboard",
    "/rates",
    "/banners",
    "/history",
    "/luck",
    "/battle trial",
    "/battle trials",
    "/battle duel",
    "/battle standing",
    "/battle team set",
    "/mydata export",
    "/mydata forget",
    "/auction list",
    "/auction browse",
    "/auction buy",
    "/auction cancel",
    "/auction history",
    "/admin reset-db",
    "/admin reload-config",
    "/admin grant",
)
#: Discord's limit for a command's or an option's description.
DESCRIPTION_LIMIT = 100


@pytest.fixture
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No token and no FAYE_ settings; the working directory (where .env is looked for) is empty. What a
    .env file puts in the environment is taken out again after."""
    saved = dict(os.environ)
    for key in list(os.environ):
        if key.startswith("FAYE_") or key == entry.TOKEN_ENV:
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    os.environ.clear()
    os.environ.update(saved)


def test_check_builds_the_bot_offline_and_prints_the_tree(clean_env: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "discord_frontend.main", "--check"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={k: v for k, v in os.environ.items() if not k.startswith("FAYE_")},
    )
    assert result.returncode == 0, result.stderr
    commands = [line.split(" — ")[0] for line in result.stdout.splitlines() if line.startswith("/")]
    assert sorted(commands) == sorted(COMMANDS)
    assert "    amount (integer; optional; choices: 1, 10) — How many pulls" in result.stdout
    assert f"{len(EXTENSIONS)} cogs: game data OK." in result.stdout
    assert list(clean_env.iterdir()) == []  # no database was opened or created


def test_every_description_fits_discord(clean_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert entry.main(["--check"]) == 0
    for line in capsys.readouterr().out.splitlines():
        if " — " in line:
            assert len(line.split(" — ", 1)[1]) <= DESCRIPTION_LIMIT, line


def test_no_token_is_a_clear_message_and_exit_2(clean_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert entry.main([]) == 2
    err = capsys.readouterr().err
    assert "no bot token: set DISCORD_TOKEN" in err
    assert "Traceback" not in err


def test_run_reads_the_token_and_settings_from_dot_env(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (clean_env / ".env").write_text(f"DISCORD_TOKEN=from-the-file\nFAYE_DATABASE_URL={clean_env / 'env.db'}\n")
    served = []

    async def serve(bot: FayeBot, token: str) -> None:
        served.append((token, bot.shard_count, bot.shard_ids, bot._sync))

    monkeypatch.setattr(entry, "serve", serve)
    assert entry.main(["--sync-guild", "123", "--shards", "4", "--shard-ids", "0,1"]) == 0
    assert served == [("from-the-file", 4, [0, 1], SyncPlan(guild_id=123))]
    assert Settings().database_url == str(clean_env / "env.db")


def forbidden() -> discord.Forbidden:
    response = SimpleNamespace(status=403, reason="Forbidden")
    return discord.Forbidden(response, {"code": 50001, "message": "Missing Access"})


@pytest.mark.parametrize(
    ("failure", "code", "said"),
    [
        (discord.LoginFailure("Improper token has been passed."), 2, "Discord rejected the token in DISCORD_TOKEN"),
        (DatabaseUnavailable("cannot open the database at x.db: disk I/O error"), 2, "cannot open the database"),
        (forbidden(), 2, "Discord refused to sync the commands (Missing Access): is the bot in that guild"),
        (RuntimeError("gateway exploded"), 1, "stopped by an unexpected error, incident"),
    ],
)
def test_failures_while_running_exit_cleanly(
    clean_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    failure: Exception,
    code: int,
    said: str,
) -> None:
    monkeypatch.setenv(entry.TOKEN_ENV, "token")

    async def serve(bot: FayeBot, token: str) -> None:
        raise failure

    monkeypatch.setattr(entry, "serve", serve)
    assert entry.main([]) == code
    err = capsys.readouterr().err
    assert said in err
    assert "Traceback" not in err


def test_bad_game_data_is_exit_2(
    clean_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAYE_CONFIG_DIR", str(clean_env / "missing"))
    assert entry.main(["--check"]) == 2
    assert "config directory not found" in capsys.readouterr().err


def test_bad_setting_is_exit_2(
    clean_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAYE_SEED", "not-a-number")
    assert entry.main(["--check"]) == 2
    assert "FAYE_SEED" in capsys.readouterr().err


def test_shard_ids_need_a_shard_count(
    clean_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(entry.TOKEN_ENV, "x")
    assert entry.main(["--shard-ids", "0,1"]) == 2
    assert "--shard-ids needs --shards" in capsys.readouterr().err


def test_bad_usage_is_exit_2(clean_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        entry.main(["--shards", "many"])
    assert exit_info.value.code == 2
    assert "invalid int value" in capsys.readouterr().err
