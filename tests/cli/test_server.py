"""`faye server`: a command handed to the resident server behaves as the same command in a process of its own.

Same output, exit code and effects; its own environment, working directory and stdin; Ctrl-C reaches it; a
child killed is reported as a shell would; the server steps aside (the command runs in the client) when it
cannot be trusted to run the same code for the same user. Real processes throughout: the point is what crosses
the socket. How much faster it starts is benchmarks/bench_cli_startup.py's to print, never asserted here.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from cli import server as resident
from tests.cli.conftest import NOW, process_env, run_process

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not hasattr(os, "fork"), reason="the server forks: Unix only")]

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 60


@dataclass
class Served:
    """A running server and the environment its commands run in."""

    env: dict[str, str]
    run_dir: Path
    pid: int

    def faye(
        self, *args: str, input: str | None = None, cwd: Path | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return run_process(list(args), {**self.env, **(env or {})}, input=input, cwd=cwd or self.run_dir)

    def json(self, *args: str) -> tuple[int, Any]:
        done = self.faye(*args, "--json")
        return done.returncode, json.loads(done.stdout)

    def served(self) -> int:
        code, status = self.json("server", "status")
        assert code == 0, status
        count: int = status["served"]
        return count

    def popen(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "cli", *args],
            env=process_env(self.env),
            cwd=self.run_dir,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )


def base_env(run_dir: Path, db: Path) -> dict[str, str]:
    """What a server's commands run with, over process_env's (the suite's, without FAYE_*)."""
    cache = os.environ.get("FAYE_CACHE_DIR")  # the session's game-data cache, when the suite has one
    return {
        **({"FAYE_CACHE_DIR": cache} if cache else {}),
        "PYTHONPATH": str(REPO),
        "FAYE_RUN_DIR": str(run_dir),
        "FAYE_DATABASE_URL": str(db),
        "FAYE_NOW": NOW,
        "FAYE_SEED": "7",
    }


def wait_exit(pid: int) -> None:
    """Until process `pid` (not our child) has exited: its pidfd turns readable then, no polling."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return
    try:
        ready, _, _ = select.select([fd], [], [], TIMEOUT)
        assert ready, f"process {pid} still runs after {TIMEOUT} s"
    finally:
        os.close(fd)


def at_prompt(play: subprocess.Popen[str], user: str = "ana") -> None:
    """Until `faye play` shows its prompt: from then on a Ctrl-C is its prompt's to answer."""
    assert play.stdout is not None
    seen = ""
    while not seen.endswith(f"faye:{user}: "):
        char = play.stdout.read(1)
        assert char, f"play ended before its prompt: {seen!r}"
        seen += char


def command_of(served: Served, client: subprocess.Popen[str]) -> int:
    """The server's child running `client`'s command: the one reading the client's own stdin. (An earlier
    command's child may linger a moment after its client has its exit code.)"""
    stdin = os.readlink(f"/proc/{client.pid}/fd/0")
    (child,) = (pid for pid in children_of(served.pid) if stdin_of(pid) == stdin)
    return child


def children_of(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def stdin_of(pid: int) -> str | None:
    try:
        return os.readlink(f"/proc/{pid}/fd/0")
    except OSError:  # gone, or going
        return None


@contextmanager
def serving(env: dict[str, str], run_dir: Path) -> Iterator[Served]:
    """A server for `env`, stopped (and waited for) however the block ends."""
    started = run_process(["server", "start", "--idle", "5", "--json"], env)  # a test killed: gone soon
    assert started.returncode == 0, started.stderr
    status = json.loads(started.stdout)
    assert status["started"] is True, status
    try:
        yield Served(env, run_dir, status["pid"])
    finally:
        run_process(["server", "stop"], env)
        wait_exit(status["pid"])


@pytest.fixture
def run_dir() -> Iterator[Path]:
    # A short path of its own: a Unix socket's path has a limit of about 100 bytes, pytest's tmp_path is long.
    path = Path(tempfile.mkdtemp(prefix="faye-srv-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def served(tmp_path: Path, run_dir: Path) -> Iterator[Served]:
    with serving(base_env(run_dir, tmp_path / "served.db"), run_dir) as server:
        yield server


def test_a_served_command_gives_what_its_own_process_gives(served: Served, tmp_path: Path) -> None:
    alone = {"FAYE_SERVER": "off", "FAYE_DATABASE_URL": str(tmp_path / "alone.db")}
    session = [("start", "--user", "ana", "--accept-policy"), ("summon", "--user", "ana", "--amount", "10")]
    for args in session:
        via_server, in_process = served.faye(*args, "--json"), served.faye(*args, "--json", env=alone)
        assert (via_server.returncode, via_server.stdout) == (in_process.returncode, in_process.stdout)
        assert via_server.returncode == 0, via_server.stderr
    assert served.served() == len(session)  # and they did go through the server
    assert json.loads(served.faye("summon", "--user", "ana", "--json").stdout)["esprits"]


def test_exit_codes_and_stderr_cross_the_socket(served: Served) -> None:
    refused = served.faye("balance", "--user", "nobody")
    usage = served.faye("balance", "--no-such-option")
    assert (refused.returncode, refused.stdout) == (1, "")
    assert "not registered" in refused.stderr
    assert usage.returncode == 2
    assert "No such option" in usage.stderr
    assert served.served() == 2


def test_each_command_has_its_own_environment_directory_and_stdin(served: Served, tmp_path: Path) -> None:
    here = tmp_path / "here"
    here.mkdir()
    # A relative --db is the client's working directory's, and FAYE_USER the client's environment's.
    joined = served.faye("start", "--db", "relative.db", "--accept-policy", "--json", cwd=here, env={"FAYE_USER": "bo"})
    assert joined.returncode == 0, joined.stderr
    assert (here / "relative.db").exists()
    script = "balance\nexpect .gems == 1600\n"
    done = served.faye("script", "-", "--db", str(here / "relative.db"), input=script, env={"FAYE_USER": "bo"})
    assert done.returncode == 0, done.stdout + done.stderr  # the expectation held: read from the client's stdin
    assert [json.loads(line)["result"]["user_id"] for line in done.stdout.splitlines()] == ["bo"]
    assert served.faye("balance", "--user", "bo").returncode == 1  # the server's own FAYE_DATABASE_URL: not there
    assert served.served() == 3


def test_ctrl_c_reaches_the_command(served: Served) -> None:
    assert served.faye("start", "--user", "ana", "--accept-policy").returncode == 0
    play = served.popen("play", "--user", "ana")
    at_prompt(play)
    play.send_signal(signal.SIGINT)
    play.wait(timeout=TIMEOUT)  # stdin left open: an end of input would be an answer to the prompt too
    out, err = play.communicate()
    assert play.returncode == 0, (out, err)  # play's own answer to Ctrl-C at its prompt: a goodbye, not a traceback
    assert "See you soon" in out


def test_a_child_killed_is_reported_as_a_shell_would(served: Served) -> None:
    assert served.faye("start", "--user", "ana", "--accept-policy").returncode == 0
    play = served.popen("play", "--user", "ana")
    at_prompt(play)
    child = command_of(served, play)
    os.kill(child, signal.SIGKILL)
    play.communicate(timeout=TIMEOUT)
    assert play.returncode == 128 + signal.SIGKILL


def test_a_command_outlives_its_server_killed(served: Served) -> None:
    assert served.faye("start", "--user", "ana", "--accept-policy").returncode == 0
    play = served.popen("play", "--user", "ana")
    at_prompt(play)
    os.kill(served.pid, signal.SIGKILL)
    wait_exit(served.pid)
    out, err = play.communicate("balance\nexit\n", timeout=TIMEOUT)
    assert play.returncode == 0, (out, err)  # the child's own report: the command ran to its end
    assert "1,600" in out or "1600" in out


def test_commands_run_side_by_side(served: Served) -> None:
    for user in ("ana", "bo", "cy"):
        assert served.faye("start", "--user", user, "--accept-policy").returncode == 0
    sessions = {user: served.popen("play", "--user", user) for user in ("ana", "bo", "cy")}
    for user, play in sessions.items():
        at_prompt(play, user)
    running = {command_of(served, play) for play in sessions.values()}  # all at their prompts at once
    assert len(running) == 3
    for play in sessions.values():
        out, err = play.communicate("exit\n", timeout=TIMEOUT)
        assert play.returncode == 0, (out, err)


def test_changed_code_restarts_the_server_and_no_command_is_lost(tmp_path: Path, run_dir: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    probe = site / "sitecustomize.py"  # imported by every Python of this environment: one of the server's modules
    probe.write_text("")
    env = {**base_env(run_dir, tmp_path / "restart.db"), "PYTHONPATH": f"{site}{os.pathsep}{REPO}"}
    with serving(env, run_dir) as served:
        probe.write_text("# edited\n")
        done = served.faye("start", "--user", "ana", "--accept-policy", "--json")
        assert done.returncode == 0, done.stderr  # declined, so run by the client itself
        assert "sitecustomize.py changed: restarting" in next(run_dir.glob("*.log")).read_text()
        # Waits in the kept socket's backlog while the new code loads, then is answered by the restarted server.
        code, status = served.json("server", "status")
        assert (code, status["pid"], status["served"]) == (0, served.pid, 0)
        assert served.faye("balance", "--user", "ana").returncode == 0
        assert served.served() == 1


def test_a_client_gone_hangs_up_its_command(served: Served) -> None:
    assert served.faye("start", "--user", "ana", "--accept-policy").returncode == 0
    play = served.popen("play", "--user", "ana")
    at_prompt(play)
    child = command_of(served, play)
    play.kill()
    play.wait()
    wait_exit(child)  # stdin still open: only the SIGHUP from the server ends it, as a terminal's would
    play.communicate()
    assert served.json("server", "status")[1]["commands_running"] == 0


def test_a_run_directory_others_can_enter_is_not_used(served: Served) -> None:
    served.run_dir.chmod(0o755)
    try:
        done = served.faye("start", "--user", "ana", "--accept-policy", "--json")
        status = served.faye("server", "status")
    finally:
        served.run_dir.chmod(0o700)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["profile"]["user_id"] == "ana"  # run by the client itself
    assert status.returncode == 1  # the server is not reachable through it either
    assert served.served() == 0


def test_start_stop_and_status_say_what_they_did(served: Served) -> None:
    again = served.json("server", "start")
    assert again == (0, {**again[1], "started": False, "pid": served.pid})
    stopped = served.json("server", "stop")
    assert stopped == (0, {"stopped": True, "pid": served.pid, "commands_running": 0})
    wait_exit(served.pid)
    assert not any(served.run_dir.glob("*.sock"))
    assert served.json("server", "status")[0] == 1
    assert served.json("server", "stop") == (0, {"stopped": False})
    assert served.faye("start", "--user", "ana", "--accept-policy").returncode == 0  # no server: runs here


def test_no_server_starts_where_others_could_reach_it(tmp_path: Path, run_dir: Path) -> None:
    run_dir.chmod(0o755)
    done = run_process(["server", "start", "--json"], base_env(run_dir, tmp_path / "open.db"))
    error = json.loads(done.stdout)["error"]
    assert (done.returncode, error["code"]) == (2, "server_unavailable")
    assert f"the run directory {run_dir} is not this user's alone" in error["message"]
    assert not any(run_dir.iterdir())


def test_a_server_whose_socket_was_taken_leaves_its_successor_alone(served: Served) -> None:
    for leftover in served.run_dir.iterdir():  # a cleaner of the temporary folder, while the server runs
        leftover.unlink()
    code, second = served.json("server", "start")
    assert (code, second["started"]) == (0, True)
    os.kill(served.pid, signal.SIGTERM)
    wait_exit(served.pid)
    assert served.json("server", "status")[1]["pid"] == second["pid"]  # its socket is still there


def test_an_idle_server_exits_on_its_own(tmp_path: Path, run_dir: Path) -> None:
    started = run_process(["server", "start", "--idle", "0.01", "--json"], base_env(run_dir, tmp_path / "idle.db"))
    assert started.returncode == 0, started.stderr
    wait_exit(json.loads(started.stdout)["pid"])
    assert not any(run_dir.glob("*.sock"))
    assert "idle for 0.6 s: stopping" in next(run_dir.glob("*.log")).read_text()


def test_the_client_imports_only_the_standard_library() -> None:
    probe = "import json, sys, cli.client; print(json.dumps(sorted(sys.modules)))"
    loaded = set(json.loads(subprocess.check_output([sys.executable, "-c", probe], cwd=REPO, text=True)))
    heavy = {"typer", "click", "rich", "sqlalchemy", "sqlmodel", "pydantic", "aiosqlite", "numpy", "faye.settings"}
    assert "cli.client" in loaded
    assert loaded.isdisjoint(heavy)


def test_a_changed_module_is_noticed(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text("A = 1\n")
    files = {str(module): (module.stat().st_mtime_ns, module.stat().st_size)}
    assert resident.changed(files) is None
    module.write_text("A = 22\n")
    assert resident.changed(files) == str(module)
    module.unlink()
    assert resident.changed(files) == str(module)


def test_wait_statuses_read_as_a_shell_reports_them() -> None:
    assert resident.exit_code(0) == 0
    assert resident.exit_code(2 << 8) == 2
    assert resident.exit_code(signal.SIGKILL) == 137
