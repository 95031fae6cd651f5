"""The `faye` console script's first step: hand the command to a running `faye server`, or run it here.

A fresh Python spends most of a short command importing SQLAlchemy, SQLModel and the game (issue 10, goal 2).
`faye server start` keeps one process with all of that imported; each command then starts only this module
(the standard library: no Typer, no SQLAlchemy), passes its arguments, environment, working directory, umask and
its own stdin, stdout and stderr (the descriptors themselves, over a Unix socket) to the server, which forks a
child to run the command exactly as this process would have, and relays the exit code. Mercurial's chg works the
same way. The child is a copy of a process that has imported modules and done nothing else: it opens the
database, reads the game data and the settings from the environment it was sent, as a cold start would.

Without a server, or when it cannot be used (another user's, another Python or checkout, code changed since it
started, `FAYE_SERVER=off`), the command runs in this process. Ctrl-C, SIGTERM, SIGHUP and SIGQUIT reach the
child, and Ctrl-Z stops both. Nothing here knows any command: the protocol lives in this module, the server's
loop in cli.server, and `faye server start|stop|status` in cli.commands.server.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import socket
import struct
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any, Final

from faye.run_dir import run_dir

#: Signals a terminal or a supervisor sends to the command; the child gets each one.
FORWARDED: Final = ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT")
HEADER: Final = struct.Struct("!I")
"""The length of the JSON request that follows, sent with the request's descriptors."""
PROTOCOL: Final = 1
LOST_EXIT: Final = 3
"""The internal-error exit code (cli.runtime.EXIT_INTERNAL): the server went away and the outcome is unknown."""


def disabled() -> bool:
    """FAYE_SERVER=off (or 0, no, false): always run here, as a benchmark of a cold start needs."""
    return os.environ.get("FAYE_SERVER", "").strip().lower() in {"0", "off", "no", "false"}


def supported() -> bool:
    """Unix: descriptors pass over Unix sockets and the server forks. Elsewhere every command runs here."""
    return hasattr(os, "fork") and hasattr(socket, "send_fds")


def identity() -> str:
    """Which Faye and which Python: a server runs only commands of the checkout and interpreter it was started
    from, so two virtual environments on one machine each get their own server."""
    here = str(Path(__file__).resolve().parent)
    return hashlib.sha256(f"{sys.executable}\0{here}\0{sys.version}".encode()).hexdigest()[:16]


def socket_path() -> Path:
    return run_dir() / f"server-{identity()}.sock"


def private(directory: Path) -> bool:
    """The directory is ours and no one else's: owned by this user and closed to group and others."""
    try:
        status = directory.stat()
    except OSError:
        return False
    return status.st_uid == os.getuid() and status.st_mode & 0o077 == 0


def connect(timeout: float | None = None) -> socket.socket | None:
    """A connection to the server, or None when there is none to use (no socket, a stale one, or a run
    directory (FAYE_RUN_DIR) someone else could have planted it in)."""
    path = socket_path()
    if not private(path.parent):
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(str(path))
    except OSError:
        sock.close()
        return None
    return sock


def send(sock: socket.socket, message: dict[str, Any], fds: list[int] | None = None) -> None:
    """One request: its length with the descriptors to pass, then the JSON document."""
    body = json.dumps(message).encode()
    socket.send_fds(sock, [HEADER.pack(len(body))], fds or [])
    sock.sendall(body)


def replies(sock: socket.socket) -> Iterator[dict[str, Any]]:
    """The server's answers, one JSON document a line, until it closes the connection."""
    buffered = b""
    while True:
        chunk = sock.recv(4096)
        if not chunk:
            return
        buffered += chunk
        while b"\n" in buffered:
            line, buffered = buffered.split(b"\n", 1)
            yield json.loads(line)


def ask(message: dict[str, Any]) -> dict[str, Any] | None:
    """A control request (`ping`, `stop`) and its one answer; None when no server answers."""
    sock = connect(timeout=10)
    if sock is None:
        return None
    with sock:
        try:
            send(sock, {"protocol": PROTOCOL, "identity": identity(), **message})
            return next(replies(sock), None)
        except OSError:
            return None


def command_request() -> dict[str, Any]:
    """Everything of this process a command can see, but its descriptors (sent beside it)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return {
        "protocol": PROTOCOL,
        "identity": identity(),
        "op": "run",
        "argv": sys.argv,
        "main_package": getattr(sys.modules.get("__main__"), "__package__", None),  # click names the program by it
        "env": dict(os.environ),
        "cwd": os.getcwd(),
        "umask": umask,
        "streams": [
            [stream.encoding, stream.errors] if stream is not None else None
            for stream in (sys.stdin, sys.stdout, sys.stderr)
        ],
    }


def open_streams() -> bool:
    """stdin, stdout and stderr are all open descriptors: a closed one cannot be passed, so the command runs here."""
    try:
        for fd in (0, 1, 2):
            os.fstat(fd)
    except OSError:
        return False
    return True


def relay(sock: socket.socket) -> int | None:
    """Run this process's command in the server: its exit code, or None if the server declined it before
    starting (then it runs here instead)."""
    try:
        os.getcwd()  # a working directory deleted under us: the command runs here and says so itself
    except OSError:
        return None
    forwarder = Forwarder()
    forwarder.install()
    try:
        send(sock, command_request(), [0, 1, 2])
        answers = replies(sock)
        first = next(answers, None)
    except OSError:
        first = None
    if first is None or "pid" not in first:  # refused, or ended before the command started: nothing ran
        forwarder.uninstall()
        if forwarder.pending:  # a Ctrl-C while asking: stopped before anything ran, as a shell reports it
            sys.exit(128 + forwarder.pending[0])
        return None
    child: int = first["pid"]
    forwarder.attach(child)
    try:
        for answer in answers:
            if "exit" in answer:
                exit_code: int = answer["exit"]
                return exit_code
    except OSError:
        pass
    sys.stderr.write(
        f"faye: the Faye server stopped while it ran this command (process {child}); whether the command took "
        "effect is unknown: check with a read command such as `faye history`\n"
    )
    return LOST_EXIT


class Forwarder:
    """Ctrl-C and its kin go to the child, which is not in this terminal's process group; one that arrives
    before the child is known is held until it is. Ctrl-Z stops the child, then this process, and `fg`
    continues both."""

    def __init__(self) -> None:
        self.child: int | None = None
        self.pending: list[int] = []

    def install(self) -> None:
        for name in FORWARDED:
            signal.signal(getattr(signal, name), self.forward)
        signal.signal(signal.SIGTSTP, self.suspend)

    def uninstall(self) -> None:
        for name in (*FORWARDED, "SIGTSTP"):
            signum = getattr(signal, name)
            signal.signal(signum, signal.default_int_handler if signum == signal.SIGINT else signal.SIG_DFL)

    def attach(self, child: int) -> None:
        self.child = child
        for signum in self.pending:
            self.send(signum)
        self.pending.clear()

    def send(self, signum: int) -> None:
        if self.child is None:
            self.pending.append(signum)
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.child, signum)

    def forward(self, signum: int, frame: FrameType | None) -> None:
        self.send(signum)

    def suspend(self, signum: int, frame: FrameType | None) -> None:
        self.send(signal.SIGTSTP)
        signal.signal(signal.SIGTSTP, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTSTP)  # stops here until SIGCONT
        signal.signal(signal.SIGTSTP, self.suspend)
        self.send(signal.SIGCONT)


def run_here() -> None:
    from cli.main import main as run

    run()


def main() -> None:
    """The `faye` console script."""
    code = None
    usable = supported() and not disabled() and sys.argv[1:2] != ["server"] and open_streams()
    if usable and (sock := connect()) is not None:
        with sock:
            code = relay(sock)
    if code is None:
        run_here()
    else:
        sys.exit(code)
