"""Player text is data in the terminal: names and ids holding Rich markup or control characters are shown as
their characters, never parsed, never a hyperlink, never an escape sequence for the viewer's terminal."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import Result

from faye.text import MAX_NAME_LENGTH
from tests.cli.conftest import Faye

#: A real terminal as far as Rich can tell (colours, hyperlinks), wide enough that no name wraps.
TERMINAL = {"FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "250"}
CLOSER = "x[/]"
LINK = "[link=https://evil.example]Faye Support[/link]"
MARKUP_ID = "m[/]ark[bold]"
HACK = "\x1b]0;HACKED\x07\x1b[2J"
HYPERLINK = "\x1b]8;"
"""OSC 8, the escape sequence that makes terminal text a clickable link."""


def shown(faye: Faye, *args: str) -> Result:
    """`faye ARGS` on a colour terminal; it must end normally."""
    result = faye(*args, **TERMINAL)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result


def assert_no_terminal_commands(text: str) -> None:
    """Colours (CSI ... m) are ours; no hyperlink, title change, bell or screen clear reaches the viewer."""
    assert HYPERLINK not in text
    assert "\x1b]0;" not in text
    assert "\x07" not in text
    assert "\x1b[2J" not in text


@pytest.fixture
def marked(faye: Faye) -> dict[str, str]:
    """Three players whose name or id is Rich markup, each with an Esprit on sale: id -> name."""
    players = {"ana": CLOSER, "bob": LINK, MARKUP_ID: "Mark"}
    for user_id, name in players.items():
        code, doc = faye.json("start", "--user", user_id, "--name", name, "--accept-policy")
        assert code == 0, doc
        assert doc["profile"]["username"] == name
        code, doc = faye.json("auction", "list", str(doc["starter"]["id"]), "--user", user_id, "--price", "100")
        assert code == 0, doc
    return players


def test_leaderboard_shows_markup_names_literally(faye: Faye, marked: dict[str, str]) -> None:
    result = shown(faye, "leaderboard")
    for name in marked.values():
        assert name in result.stdout
    assert_no_terminal_commands(result.output)


def test_auction_browse_shows_markup_seller_ids_literally(faye: Faye, marked: dict[str, str]) -> None:
    result = shown(faye, "auction", "browse")
    for user_id in marked:
        assert user_id in result.stdout
    assert_no_terminal_commands(result.output)


@pytest.mark.parametrize("command", ["balance", "profile"])
def test_profile_shows_markup_names_and_ids_literally(faye: Faye, marked: dict[str, str], command: str) -> None:
    for user_id, name in marked.items():
        result = shown(faye, command, "--user", user_id)
        assert name in result.stdout
        assert user_id in result.stdout
        assert_no_terminal_commands(result.output)


def test_audit_problem_naming_a_markup_id_is_shown_literally(
    faye: Faye, marked: dict[str, str], cli_env: dict[str, str]
) -> None:
    with sqlite3.connect(cli_env["FAYE_DATABASE_URL"]) as conn:
        conn.execute("UPDATE user SET gems = gems + 1 WHERE user_id = ?", (MARKUP_ID,))
    result = faye("admin", "audit", **TERMINAL)
    assert result.exit_code == 1, result.output
    assert f"player {MARKUP_ID}: gems balance" in result.stdout


def test_refusal_echoing_a_markup_id_is_shown_literally(faye: Faye) -> None:
    result = faye("balance", "--user", CLOSER, **TERMINAL)
    assert result.exit_code == 1, result.output
    assert CLOSER in result.stderr
    assert "Traceback" not in result.output


def test_control_characters_are_stripped_from_a_name_at_registration(faye: Faye) -> None:
    code, doc = faye.json("start", "--user", "eve", "--name", f"Eve{HACK}", "--accept-policy")
    assert code == 0, doc
    assert doc["profile"]["username"] == "Eve]0;HACKED[2J"
    for args in (["leaderboard"], ["balance", "--user", "eve"]):
        result = shown(faye, *args)
        assert "Eve]0;HACKED[2J" in result.stdout
        assert_no_terminal_commands(result.output)


def test_control_characters_already_in_the_database_never_reach_the_terminal(
    faye: Faye, player: str, cli_env: dict[str, str]
) -> None:
    """A row written before names were cleaned (or by another program) is shown with U+FFFD instead."""
    with sqlite3.connect(cli_env["FAYE_DATABASE_URL"]) as conn:
        conn.execute("UPDATE user SET username = ? WHERE user_id = ?", (f"Old{HACK}\x9b31m\u202eevil", player))
    for args in (["leaderboard"], ["balance", "--user", player]):
        result = shown(faye, *args)
        assert "Old\ufffd]0;HACKED\ufffd\ufffd[2J\ufffd31m\ufffdevil" in result.stdout
        assert_no_terminal_commands(result.output)
        assert "\x9b" not in result.output
        assert "\u202e" not in result.output


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("  Ana \t  Smith\n", "Ana Smith"),
        ("Zoe\u0301", "Zoé"),  # NFD in, NFC kept
        ("", "neo"),
        ("\u202e\u200b", "neo"),  # nothing printable left: the id
        ("x" * MAX_NAME_LENGTH, "x" * MAX_NAME_LENGTH),
    ],
)
def test_name_is_normalised_at_registration(faye: Faye, name: str, kept: str) -> None:
    code, doc = faye.json("start", "--user", "neo", "--name", name, "--accept-policy")
    assert code == 0, doc
    assert doc["profile"]["username"] == kept


def test_too_long_a_name_is_refused(faye: Faye) -> None:
    code, doc = faye.json("start", "--user", "neo", "--name", "x" * (MAX_NAME_LENGTH + 1), "--accept-policy")
    assert (code, doc["error"]["code"], doc["error"]["field"]) == (2, "invalid_argument", "username")
    code, doc = faye.json("balance", "--user", "neo")
    assert doc["error"]["code"] == "not_registered"


@pytest.mark.parametrize("user_id", ["ev\x1bil", " padded", "x" * 65])
def test_unusable_id_is_refused(faye: Faye, user_id: str) -> None:
    code, doc = faye.json("start", "--user", user_id, "--accept-policy")
    assert (code, doc["error"]["code"], doc["error"]["field"]) == (2, "invalid_argument", "user_id")
    result = faye("start", "--user", user_id, "--accept-policy", **TERMINAL)
    assert result.exit_code == 2
    assert "\x1bil" not in result.output  # the refusal echoes the id with U+FFFD for the ESC


def run_bytes(*args: bytes, as_json: bool = False) -> subprocess.CompletedProcess[str]:
    """`faye ARGS` in its own process, with argv exactly these bytes (no decoding on our side)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAYE_")} | {"FAYE_DATABASE_URL": "unused.db"}
    argv = [sys.executable.encode(), b"-m", b"cli", *args, *([b"--json"] if as_json else [])]
    return subprocess.run(argv, env=env, capture_output=True, text=True, errors="replace", timeout=60, check=False)


@pytest.mark.parametrize(
    ("args", "option"),
    [
        ((b"balance", b"--user", b"\xff"), "--user"),
        ((b"start", b"--user", b"ok", b"--name", b"Ana\xfe\xff", b"--accept-policy"), "--name"),
        ((b"inventory", b"--user", b"ok", b"--search", b"fox\xff"), "--search"),
        ((b"auction", b"browse", b"--seller", b"\xffbob"), "--seller"),
    ],
    ids=["user", "name", "search", "seller"],
)
def test_invalid_utf8_on_the_command_line_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[bytes, ...], option: str
) -> None:
    monkeypatch.chdir(tmp_path)
    done = run_bytes(*args)
    assert done.returncode == 2, done.stderr
    assert option in done.stderr
    assert "UTF-8" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    done = run_bytes(*args, as_json=True)
    assert done.returncode == 2, done.stderr
    assert '"usage_error"' in done.stdout
    assert option in done.stdout


def test_markup_names_on_postgres(postgres_url: str, faye: Faye) -> None:
    for user_id, name in (("ana", CLOSER), ("bob", LINK)):
        code, doc = faye.json(
            "start", "--user", user_id, "--name", name, "--accept-policy", FAYE_DATABASE_URL=postgres_url
        )
        assert code == 0, doc
    result = faye("leaderboard", **TERMINAL, FAYE_DATABASE_URL=postgres_url)
    assert result.exit_code == 0, result.output
    assert CLOSER in result.stdout
    assert LINK in result.stdout
    assert_no_terminal_commands(result.output)
