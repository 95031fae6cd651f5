"""A bad FAYE_* setting reads the same in the terminal and in the bot: faye.settings formats it, once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app as cli_app
from discord_frontend.main import BadConfig, load_game
from faye.errors import InvalidArgument
from faye.settings import load_settings

EXPECTED = "invalid setting: FAYE_SEED: Input should be a valid integer, unable to parse string as an integer"


@pytest.fixture(autouse=True)
def bad_seed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("FAYE_SEED", "twelve")


def test_faye_names_each_bad_setting_by_its_variable() -> None:
    with pytest.raises(InvalidArgument) as caught:
        load_settings()
    assert caught.value.message == EXPECTED
    assert caught.value.details["problems"] == [EXPECTED.removeprefix("invalid setting: ")]


def test_overrides_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FAYE_SEED")
    monkeypatch.setenv("FAYE_DATABASE_URL", "sqlite+aiosqlite:///env.db")
    assert load_settings(database_url="sqlite+aiosqlite:///flag.db").database_url == "sqlite+aiosqlite:///flag.db"


def test_the_terminal_and_the_bot_report_it_in_the_same_words() -> None:
    result = CliRunner().invoke(cli_app, ["rates", "--json"], catch_exceptions=False)
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"]["message"] == EXPECTED
    with pytest.raises(BadConfig, match=f"^{EXPECTED}$"):
        load_game()
