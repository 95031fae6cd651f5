"""`faye script`: session files in one process, expectations, record and check, bad lines."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from tests.cli.conftest import Faye

EXAMPLE = Path(__file__).parents[2] / "examples" / "ci-session.faye"


def documents(stdout: str) -> list[Any]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def test_the_example_runs_green(faye: Faye) -> None:
    result = faye("script", str(EXAMPLE), "--user", "alice")
    assert result.exit_code == 0, result.output
    docs = documents(result.stdout)
    assert [d["command"] for d in docs][:3] == ["start --accept-policy", "balance", "daily"]
    refused = docs[3]
    assert (refused["exit"], refused["result"]["error"]["code"]) == (1, "cooldown_active")  # a refusal's exit code
    assert docs[4]["exit"] == 0  # advance 24 opened the second daily


def test_a_failed_expectation_stops_the_run_naming_line_expected_and_actual(faye: Faye, tmp_path: Path) -> None:
    session = tmp_path / "s.faye"
    session.write_text("start --accept-policy\nbalance\nexpect .gems == 200\nbalance\n")
    result = faye("script", str(session), "--user", "alice")
    assert result.exit_code == 1
    assert "line 3: expected .gems == 200, got 1600" in result.stderr
    assert len(documents(result.stdout)) == 3  # two commands and the failure; the last balance never ran


def test_expectations_on_paths_lengths_and_errors(faye: Faye) -> None:
    script = (
        "start --accept-policy\nsummon --amount 10\nexpect .esprits | length == 10\nexpect .esprits[0].id >= 1\n"
        'expect .cost.currency == "gems"\ndaily\nadvance 1\ndaily\nexpect exit 1\nexpect error cooldown_active\n'
    )
    result = faye("script", "-", "--user", "alice", input=script)  # stdin
    assert result.exit_code == 0, result.output


def test_bad_lines_are_exit_2_naming_the_line_before_anything_runs(faye: Faye) -> None:
    for bad, words in [
        ("fly away", "line 2: unknown command 'fly'"),
        ("expect .gems ~ 3", "line 2: cannot read the expectation"),
        ("balance 'open", "line 2: No closing quotation"),
        ("advance soon", "line 2: `advance` takes a number of hours"),
    ]:
        result = faye("script", "-", "--user", "alice", input=f"start --accept-policy\n{bad}\n")
        assert result.exit_code == 2, bad
        assert words in result.stderr, result.stderr
        assert result.stdout == ""  # nothing ran


def test_record_then_check_replays_byte_for_byte(faye: Faye, tmp_path: Path) -> None:
    recorded = tmp_path / "rec.faye"
    first = faye("script", str(EXAMPLE), "--user", "alice", "--record", str(recorded))
    assert first.exit_code == 0
    for db in ("two.db", "three.db"):
        again = faye("script", "--check", str(recorded), "--user", "alice", FAYE_DATABASE_URL=str(tmp_path / db))
        assert again.exit_code == 0, again.stderr
        assert again.stdout == first.stdout


def test_check_shows_a_diff_when_the_seed_changes(faye: Faye, tmp_path: Path) -> None:
    recorded = tmp_path / "rec.faye"
    assert faye("script", str(EXAMPLE), "--user", "alice", "--record", str(recorded)).exit_code == 0
    other = faye(
        "script", "--check", str(recorded), "--user", "alice", FAYE_DATABASE_URL=str(tmp_path / "b.db"), FAYE_SEED="8"
    )
    assert other.exit_code == 1
    assert "--- " in other.stderr
    assert "\n-#> " in other.stderr
    assert "\n+#> " in other.stderr


def test_check_shows_which_outcome_moved_when_the_game_data_changes(faye: Faye, tmp_path: Path) -> None:
    recorded = tmp_path / "rec.faye"
    assert faye("script", str(EXAMPLE), "--user", "alice", "--record", str(recorded)).exit_code == 0
    config = tmp_path / "config"
    shutil.copytree(Path(__file__).parents[2] / "data" / "config", config)
    settings = config / "game_settings.json"
    settings.write_text(settings.read_text().replace('"faylen": 500, "virelite": 1', '"faylen": 600, "virelite": 1'))
    moved = faye(
        "script", "--check", str(recorded), "--user", "alice",
        FAYE_DATABASE_URL=str(tmp_path / "c.db"), FAYE_CONFIG_DIR=str(config),
    )  # fmt: skip
    assert moved.exit_code == 1
    removed = [line for line in moved.stderr.splitlines() if line.startswith("-#> ")]
    assert removed
    assert all('"command": "daily"' in line or '"command": "summon' in line for line in removed), removed
