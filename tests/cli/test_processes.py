"""The console script in real OS processes: replayable scripted sessions, races, play and demo."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import NOW, run_process

SCRIPT = [
    ["start", "--user", "kai", "--accept-policy"],
    ["daily", "--user", "kai"],
    ["summon", "--user", "kai", "--amount", "10"],
    ["summon", "--user", "kai"],
    ["inventory", "--user", "kai", "--sort", "newest"],
    ["leaderboard", "--by", "collection"],
]


def run_script(db: Path, seed: str) -> list[dict[str, Any]]:
    env = {"FAYE_DATABASE_URL": str(db), "FAYE_SEED": seed, "FAYE_NOW": NOW}
    docs = []
    for args in SCRIPT:
        done = run_process([*args, "--json"], env)
        assert done.returncode == 0, done.stdout + done.stderr
        docs.append(json.loads(done.stdout))
    return docs


def test_scripted_session_replays_exactly(tmp_path: Path) -> None:
    first = run_script(tmp_path / "a.db", seed="42")
    second = run_script(tmp_path / "b.db", seed="42")
    assert first == second
    other_seed = run_script(tmp_path / "c.db", seed="43")
    assert [e["esprit_id"] for e in other_seed[2]["esprits"]] != [e["esprit_id"] for e in first[2]["esprits"]]


def test_concurrent_daily_claims_in_separate_processes(tmp_path: Path) -> None:
    env = {"FAYE_DATABASE_URL": str(tmp_path / "race.db"), "FAYE_NOW": NOW}
    assert run_process(["start", "--user", "zed", "--accept-policy", "--json"], env).returncode == 0
    base_env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("FAYE_")} | env
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "cli", "daily", "--user", "zed", "--json"],
            env=base_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(12)
    ]
    outcomes = []
    for proc in procs:
        out, _ = proc.communicate(timeout=120)
        outcomes.append((proc.returncode, json.loads(out)))
    winners = [doc for code, doc in outcomes if code == 0]
    losers = [doc["error"]["code"] for code, doc in outcomes if code != 0]
    assert len(winners) == 1
    assert losers == ["cooldown_active"] * 11
    balance = json.loads(run_process(["balance", "--user", "zed", "--json"], env).stdout)
    assert balance["faylen"] == 1000 + 500


def test_play_session(tmp_path: Path) -> None:
    env = {"FAYE_DATABASE_URL": str(tmp_path / "play.db"), "FAYE_SEED": "3", "FAYE_NOW": NOW}
    lines = [
        "help",
        "start --accept-policy",
        "daily",
        "daily",
        "wait 24",
        "daily",
        "summon --amount 10",
        "inventory --sort newest",
        "summon --amount 0",
        "inventory --sort nonsense",
        "demo",
        'search "unterminated',
        "balance --json",
        "exit",
    ]
    done = run_process(["play", "--user", "pia"], env, input="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    out = done.stdout + done.stderr
    assert "Commands" in out  # help
    assert "Welcome to Faye" in out
    assert "already claimed" in out  # the second daily
    assert "Streak: 2 days" in out  # after `wait 24`
    assert "Summon ×10" in out
    assert "a summon is 1 or 10 pulls" in out
    assert "not available inside a play session" in out
    assert '"user_id": "pia"' in out
    assert "Traceback" not in out


def test_play_ends_at_end_of_input(tmp_path: Path) -> None:
    env = {"FAYE_DATABASE_URL": str(tmp_path / "eof.db"), "FAYE_NOW": NOW}
    done = run_process(["play", "--user", "pia"], env, input="leaderboard\n")
    assert done.returncode == 0
    assert "See you soon" in done.stdout


def test_demo_runs_against_faye_db_in_the_working_directory(tmp_path: Path) -> None:
    env = {"FAYE_SEED": "1"}
    first = subprocess.run(
        [sys.executable, "-m", "cli", "demo"], cwd=tmp_path, env=_clean(env), capture_output=True, text=True, timeout=60
    )
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "faye.db").exists()
    for caption in ("Register", "daily reward", "10-pull", "collection", "Leaderboard"):
        assert caption in first.stdout
    again = subprocess.run(
        [sys.executable, "-m", "cli", "demo", "--json"],
        cwd=tmp_path,
        env=_clean(env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode == 0
    steps = {s["step"]: s for s in json.loads(again.stdout)["steps"]}
    assert steps["start"]["error"]["code"] == "already_registered"
    assert steps["daily"]["error"]["code"] == "cooldown_active"
    assert steps["inventory"]["result"]["total"] >= 11


def _clean(extra: dict[str, str]) -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("FAYE_")} | extra


@pytest.mark.postgres
def test_every_command_on_postgresql(postgres_url: str) -> None:
    env = {"FAYE_DATABASE_URL": postgres_url, "FAYE_SEED": "5", "FAYE_NOW": NOW}
    for args in [*SCRIPT, ["profile", "--user", "kai"], ["active", "set", "1", "--user", "kai"]]:
        done = run_process([*args, "--json"], env)
        assert done.returncode == 0, done.stdout + done.stderr
    done = run_process(["esprit", "show", "1", "--user", "kai", "--json"], env)
    assert json.loads(done.stdout)["active"] is True
    done = run_process(["admin", "reset-db", "--yes", "--json"], env)
    assert json.loads(done.stdout)["players_deleted"] == 1
