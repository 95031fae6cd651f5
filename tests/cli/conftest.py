"""CLI fixtures: an isolated environment per test, CliRunner for most, real processes where it matters."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from cli.main import app
from faye.render.disk import ENV as RENDER_CACHE_ENV
from tests.conftest import fresh_database

NOW = "2026-03-01T09:00:00+00:00"


@dataclass
class Faye:
    """`faye ...` through CliRunner with this test's environment."""

    env: dict[str, str]

    def __call__(self, *args: str, input: str | None = None, **env: str) -> Result:
        return CliRunner().invoke(app, list(args), env={**self.env, **env}, input=input, catch_exceptions=False)

    def json(self, *args: str, **env: str) -> tuple[int, Any]:
        """Run with --json; the output must be exactly one JSON document."""
        result = self(*args, "--json", **env)
        lines = [line for line in result.stdout.splitlines() if line.strip()]
        assert len(lines) == 1, f"expected one JSON document, got: {result.stdout!r}"
        return result.exit_code, json.loads(lines[0])


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for key in list(os.environ):
        if key.startswith("FAYE_") and key not in (RENDER_CACHE_ENV, "FAYE_CACHE_DIR"):  # the session's caches stay
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    return {"FAYE_DATABASE_URL": str(tmp_path / "cli.db"), "FAYE_SEED": "7", "FAYE_NOW": NOW}


@pytest.fixture
async def postgres_url(tmp_path: Path) -> AsyncIterator[str]:
    """A fresh PostgreSQL database (skipped without FAYE_TEST_POSTGRES_URL)."""
    async with fresh_database("postgres", tmp_path) as url:
        yield url


@pytest.fixture
def faye(cli_env: dict[str, str]) -> Faye:
    return Faye(cli_env)


@pytest.fixture
def player(faye: Faye) -> str:
    """A registered player, 'ana'."""
    code, doc = faye.json("start", "--user", "ana", "--accept-policy")
    assert code == 0, doc
    return "ana"


def process_env(env: dict[str, str]) -> dict[str, str]:
    """The suite's environment without its FAYE_* settings, then `env`: what a real `faye` process sees."""
    return {k: v for k, v in os.environ.items() if not k.startswith("FAYE_")} | env


def run_process(
    args: list[str], env: dict[str, str], *, input: str | None = None, timeout: float = 60, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """The real console script in its own OS process (python -m cli)."""
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        env=process_env(env),
        cwd=cwd,
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
