"""`faye admin reload-config`: the files validated first, then every running bot of the database signalled."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from faye.config import TIERS_FILE
from faye.db import normalize_url, safe_url
from faye.reload import PID_PREFIX
from faye.settings import DEFAULT_CONFIG_DIR
from tests.cli.conftest import Faye
from tests.unit.test_config import edit_json

#: A stand-in bot: it waits for a signal; SIGHUP writes "reloaded" into the file named by its argument and ends it
#: (the test kills it otherwise).
LISTENER = """
import signal, sys
signal.signal(signal.SIGHUP, lambda *_: (open(sys.argv[1], "w").write("reloaded"), sys.exit(0)))
print("ready", flush=True)
signal.pause()
"""


def test_reload_config_validates_then_signals_the_bots_of_this_database(faye: Faye, tmp_path: Path) -> None:
    config_dir = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, config_dir)
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    env = {"FAYE_CONFIG_DIR": str(config_dir), "FAYE_RUN_DIR": str(run_dir)}
    database = safe_url(normalize_url(faye.env["FAYE_DATABASE_URL"]))
    told = tmp_path / "told"
    bot = subprocess.Popen([sys.executable, "-c", LISTENER, str(told)], stdout=subprocess.PIPE, text=True)
    try:
        assert bot.stdout is not None
        assert bot.stdout.readline().strip() == "ready"
        (run_dir / f"{PID_PREFIX}{bot.pid}.pid").write_text(database)
        gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
        stale = run_dir / f"{PID_PREFIX}{int(gone.stdout)}.pid"
        stale.write_text(database)
        other = run_dir / f"{PID_PREFIX}{os.getpid()}.pid"
        other.write_text("sqlite+aiosqlite:///elsewhere.db")  # a bot of another database is left alone

        edit_json(config_dir / TIERS_FILE, lambda data: data["tiers"][0].update(weight="heavy"))
        code, refused = faye.json("admin", "reload-config", **env)
        assert (code, refused["error"]["code"]) == (2, "invalid_config")
        assert any(TIERS_FILE in problem and "weight" in problem for problem in refused["error"]["problems"])
        assert not told.exists(), "a broken file tells no bot"

        edit_json(config_dir / TIERS_FILE, lambda data: data["tiers"][0].update(weight=0.5))
        code, doc = faye.json("admin", "reload-config", **env)
        assert code == 0, doc
        assert (doc["bots_told"], doc["stale_removed"]) == ([bot.pid], [int(gone.stdout)])
        assert len(doc["digest"]) == 16
        assert bot.wait(timeout=60) == 0
        assert told.read_text() == "reloaded"
        assert not stale.exists()
        assert other.exists()
        shown = faye("admin", "reload-config", **env)
        assert shown.exit_code == 0
        assert "No running bot of this database" in shown.stdout
        assert faye.json("admin", "reload-config", **env)[1]["digest"] == doc["digest"], "same files, same digest"
    finally:
        bot.kill()
        bot.wait()
        if bot.stdout is not None:
            bot.stdout.close()
