"""`faye server start|stop|status`: the resident server that makes every later `faye` command start warm.

A command run as a fresh process spends most of its time importing; with a server running, `faye` hands each
command to it (cli.client) and the command starts in a few milliseconds, with the same output, exit code and
effects. It is opt-in, for a person or a CI job about to run many commands: nothing starts in the background
unless asked, and the server exits on its own after `--idle` minutes without a command. These commands always
run in their own process, never through the server they manage.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Annotated, Any

import typer

from cli import client
from cli.options import JsonOpt
from cli.runtime import EXIT_REFUSED, console, emit_json
from faye.errors import ErrorKind, FayeError


class ServerUnavailable(FayeError):
    """The server could not be started: its runtime directory or log is not writable, or it died starting."""

    code = "server_unavailable"
    kind = ErrorKind.UNAVAILABLE


server_app = typer.Typer(
    help="A resident process that starts every later `faye` command warm (opt-in; it stops when idle).",
    no_args_is_help=True,
)


def _show(document: dict[str, Any], as_json: bool, text: str) -> None:
    if as_json:
        emit_json(document)
    else:
        console().print(text, markup=False, highlight=False)


@server_app.command("start")
def start(
    idle: Annotated[
        float, typer.Option("--idle", min=0.01, help="Minutes without a command before the server exits.")
    ] = 30.0,
    as_json: JsonOpt = False,
) -> None:
    """Start the server (if none is running) and wait until it listens."""
    status = client.ask({"op": "ping"})
    if status is not None:
        _show({"started": False, **status}, as_json, f"The Faye server is already running (process {status['pid']}).")
        return
    path = client.socket_path()
    log = path.with_suffix(".log")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise ServerUnavailable(f"cannot create the run directory {path.parent}: {exc.strerror}") from None
    if not client.private(path.parent):
        raise ServerUnavailable(
            f"the run directory {path.parent} is not this user's alone (owner and mode 700 expected): another "
            "user could reach the server there; `chmod 700` it, or set FAYE_RUN_DIR"
        )
    try:
        log_file = open(log, "ab")  # noqa: SIM115 - handed to the server, closed here once it has it
    except OSError as exc:
        raise ServerUnavailable(f"cannot write the server's log {log}: {exc.strerror}") from None
    ready_read, ready_write = os.pipe()
    with log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "cli.server", "--idle", str(idle * 60), "--ready-fd", str(ready_write)],
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=log_file,
            pass_fds=(ready_write,),
            start_new_session=True,  # a terminal's Ctrl-C or hang-up is for the commands, not for the server
        )
    os.close(ready_write)
    with open(ready_read) as ready:
        line = ready.readline()  # written once it listens; empty if it died first
    if not line:
        process.wait()
        raise ServerUnavailable(f"the server exited during start-up (code {process.returncode}); its log: {log}")
    status = client.ask({"op": "ping"})
    if status is None:  # it found another server's lock: one starting or stopping as we asked
        raise ServerUnavailable("another Faye server is starting or stopping; run `faye server start` again")
    _show(
        {"started": True, **status, "log": str(log)},
        as_json,
        f"The Faye server is running (process {status['pid']}); `faye` commands now start warm. "
        f"It stops after {idle:g} minutes without a command, or at `faye server stop`. Log: {log}",
    )


@server_app.command("stop")
def stop(as_json: JsonOpt = False) -> None:
    """Stop the server: it finishes the commands it is running, then exits. Nothing to stop is not an error."""
    answer = client.ask({"op": "stop"})
    if answer is None:
        _show({"stopped": False}, as_json, "No Faye server is running.")
        return
    _show(
        {"stopped": True, "pid": answer["stopping"], "commands_running": answer["commands_running"]},
        as_json,
        f"The Faye server (process {answer['stopping']}) is stopping"
        + (f" once its {answer['commands_running']} running command(s) end." if answer["commands_running"] else "."),
    )


@server_app.command("status")
def status(as_json: JsonOpt = False) -> None:
    """Whether a server is running, and what it has done. Exit code 1 when none is."""
    answer = client.ask({"op": "ping"})
    if answer is None:
        _show({"running": False, "socket": str(client.socket_path())}, as_json, "No Faye server is running.")
        raise typer.Exit(EXIT_REFUSED)
    _show(
        {**answer, "running": True},
        as_json,
        f"The Faye server is running: process {answer['pid']} since {answer['started_at']}, "
        f"{answer['served']} command(s) served, {answer['commands_running']} running now; socket {answer['socket']}.",
    )


def register(app: typer.Typer) -> None:
    app.add_typer(server_app, name="server", rich_help_panel="Operate")
