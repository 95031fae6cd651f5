"""The resident `faye server`: one process with the game imported, forking a child for each command.

Started by `faye server start` (cli.commands.server) as `python -m cli.server`, it imports every command, the
app and the services once, then waits on a Unix socket (cli.client holds the protocol). For each command it
forks: the child takes the client's stdin, stdout and stderr, working directory, umask and environment, and
runs `faye` as a fresh process would, from the settings on. Nothing but imports happens before the fork, so no
connection, game data or RNG is ever shared between commands, and every command is as isolated as a process of
its own. The server reports each child's exit status to its client (128 + N for a child ended by signal N).

It declines (and the client runs the command itself) when the request comes from another user, another checkout
or Python, or when a module it imported has changed on disk since: then it finishes the commands it is running
and starts again with the new code, keeping its socket and lock (commands arriving meanwhile wait in the
socket's backlog, then run on the new code). It exits after `--idle` seconds without a command, at SIGTERM,
SIGINT or `faye server stop`, removing its socket. Its log is beside the socket.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import importlib
import json
import logging
import os
import pkgutil
import selectors
import signal
import socket
import struct
import sys
import time
import traceback
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import IO, Any, Final

from cli import client
from faye.clock import SystemClock

DEFAULT_IDLE: Final = 30 * 60.0
"""Seconds without a command before the server exits: long enough for a session of work, short enough that a
forgotten server does not outlive it by much."""
REQUEST_TIMEOUT: Final = 10.0
MAX_REQUEST: Final = 16 * 1024 * 1024
WALL: Final = SystemClock()
"""The time of day in the log and in `faye server status`; idle time is counted on Server.clock."""


#: What commands import as they run, beyond the command tree: the database drivers, which SQLAlchemy imports
#: only when an engine is made. Not numpy or Pillow, which few commands use and numpy's thread pools would make
#: every fork pay for.
DRIVERS: Final = (
    "sqlalchemy.dialects.sqlite.aiosqlite",
    "aiosqlite",
    "sqlalchemy.dialects.postgresql.asyncpg",
    "asyncpg",
)


def preload() -> None:
    """Import what commands use: the whole command tree, the app, every service and the database drivers."""
    import faye.services
    from cli import main

    for name in main.COMMANDS:
        main.command_of(name)
    for module in ("faye.app", "cli.runtime", *DRIVERS):
        importlib.import_module(module)
    for service in pkgutil.iter_modules(faye.services.__path__):
        importlib.import_module(f"faye.services.{service.name}")


Snapshot = dict[str, tuple[int, int]]


def stamp(path: str) -> tuple[int, int] | None:
    """A file's modification time and size, or None if it is gone."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


def snapshot() -> Snapshot:
    """Every imported module's file with its stamp, to notice code changed under us."""
    files: Snapshot = {}
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and (now := stamp(path)) is not None:
            files[path] = now
    return files


def changed(files: Snapshot) -> str | None:
    """The first of `files` that is no longer as it was, or None."""
    return next((path for path, then in files.items() if stamp(path) != then), None)


def exit_code(status: int) -> int:
    """A wait status as a shell reports it: the exit code, or 128 + the signal that ended the process."""
    code = os.waitstatus_to_exitcode(status)
    return 128 - code if code < 0 else code


def log(message: str) -> None:
    sys.stderr.write(f"{WALL.now().isoformat(timespec='seconds')} {message}\n")
    sys.stderr.flush()


@dataclass
class Server:
    """The accept loop. `files` is the code it runs; `clock` counts the idle time."""

    path: Path
    idle: float
    files: Snapshot
    lock: IO[str]
    """Held while the server lives: one server per socket."""
    clock: Callable[[], float] = time.monotonic
    started_at: str = field(default_factory=lambda: WALL.now().isoformat(timespec="seconds"))
    served: int = 0
    restart: bool = False
    stopping: bool = False
    children: dict[int, socket.socket] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.selector = selectors.DefaultSelector()
        self.wake_read, self.wake_write = socket.socketpair()
        self.last_active = self.clock()
        self.bound = (-1, -1)
        """The device and inode of the socket file this server listens on (bind)."""

    def bind(self, listening: int | None = None) -> None:
        """Listen on the socket path, or keep listening on `listening`: the socket of the server this process
        was before it restarted, whose clients wait in its backlog meanwhile."""
        if listening is None:
            with contextlib.suppress(FileNotFoundError):  # a dead server's: the lock says none is alive
                self.path.unlink()
            self.listener.bind(str(self.path))
            self.listener.listen(64)
        else:
            self.listener.close()
            self.listener = socket.socket(fileno=listening)
        status = os.stat(self.path)
        self.bound = (status.st_dev, status.st_ino)
        self.listener.setblocking(False)
        self.selector.register(self.listener, selectors.EVENT_READ)
        for end in (self.wake_read, self.wake_write):
            end.setblocking(False)
        self.selector.register(self.wake_read, selectors.EVENT_READ)
        signal.set_wakeup_fd(self.wake_write.fileno())
        for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, self.on_signal)

    def on_signal(self, signum: int, frame: FrameType | None) -> None:
        if signum != signal.SIGCHLD:
            self.stopping = True

    def loop(self) -> None:
        """Serve until stopped, restarted or idle, and until the last child has been reported."""
        while True:
            if self.stopping:
                if not self.restart:  # new commands run in their clients at once; a restart keeps them waiting
                    self.close_listener()
                if not self.children:
                    return
            elif not self.children and self.clock() - self.last_active >= self.idle:
                log(f"idle for {self.idle:g} s: stopping")
                self.close_listener()
                return
            timeout = None if self.children else max(0.0, self.last_active + self.idle - self.clock())
            for key, _ in self.selector.select(timeout):
                if key.fileobj is self.listener:
                    self.accept()
                elif key.fileobj is self.wake_read:
                    with contextlib.suppress(BlockingIOError):
                        self.wake_read.recv(4096)
                    self.reap()
                else:
                    self.client_gone(key.data)

    def close_listener(self) -> None:
        """Stop listening, and remove the socket if it is still ours: when a cleaner of the temporary folder
        took it and the lock, a newer server may have bound the same path since."""
        if self.listener.fileno() != -1:
            self.selector.unregister(self.listener)
            self.listener.close()
            with contextlib.suppress(FileNotFoundError):
                status = os.stat(self.path)
                if (status.st_dev, status.st_ino) == self.bound:
                    self.path.unlink()

    def accept(self) -> None:
        try:
            conn, _ = self.listener.accept()
        except BlockingIOError:
            return
        self.last_active = self.clock()
        self.reap()  # a child that ended as this client asked: its exit is reported first, its status current
        fds: list[int] = []
        try:
            conn.settimeout(REQUEST_TIMEOUT)
            request, fds = self.receive(conn)
            self.answer(conn, request, fds)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log(f"a request failed before its command ran: {exc!r}")
            conn.close()
        finally:
            for fd in fds:
                with contextlib.suppress(OSError):
                    os.close(fd)

    def receive(self, conn: socket.socket) -> tuple[dict[str, Any], list[int]]:
        """The request, refused (ValueError) from another user: a socket in a private directory is a second lock."""
        pid, uid, _gid = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))
        header, fds, _, _ = socket.recv_fds(conn, client.HEADER.size, 3)
        if uid != os.getuid():
            raise ValueError(f"process {pid} of user {uid} is not ours")
        if len(header) != client.HEADER.size:
            raise ValueError("the request ended before its length")
        (length,) = client.HEADER.unpack(header)
        if length > MAX_REQUEST:
            raise ValueError(f"a request of {length} bytes")
        body = b""
        while len(body) < length:
            chunk = conn.recv(length - len(body))
            if not chunk:
                raise ValueError("the request ended early")
            body += chunk
        request = json.loads(body)
        if not isinstance(request, dict):
            raise ValueError("the request is not a JSON object")
        return request, fds

    def answer(self, conn: socket.socket, request: dict[str, Any], fds: list[int]) -> None:
        def reply(document: dict[str, Any]) -> None:
            conn.sendall(json.dumps(document).encode() + b"\n")

        if request.get("protocol") != client.PROTOCOL or request.get("identity") != client.identity():
            reply({"refused": "another version of Faye"})
            conn.close()
        elif request.get("op") == "ping":
            reply(self.status())
            conn.close()
        elif request.get("op") == "stop":
            log("asked to stop")
            self.stopping = True
            reply({"stopping": os.getpid(), "commands_running": len(self.children)})
            conn.close()
        elif request.get("op") != "run" or len(fds) != 3 or self.stopping:
            reply({"refused": "not a command this server runs now"})
            conn.close()
        elif (path := changed(self.files)) is not None:
            log(f"{path} changed: restarting with the new code once running commands end")
            self.restart = self.stopping = True
            reply({"refused": f"{path} changed"})
            conn.close()
        else:
            pid = self.fork(request, fds, conn)
            self.served += 1
            conn.settimeout(None)
            self.children[pid] = conn
            self.selector.register(conn, selectors.EVENT_READ, pid)

    def status(self) -> dict[str, Any]:
        return {
            "pid": os.getpid(),
            "started_at": self.started_at,
            "served": self.served,
            "commands_running": len(self.children),
            "idle_timeout_s": self.idle,
            "socket": str(self.path),
        }

    def fork(self, request: dict[str, Any], fds: list[int], conn: socket.socket) -> int:
        """The child running the request. The child itself tells the client its pid, once it is the client's
        process and just before the command starts, so nothing can come before it on `conn`: a client that
        hears of an exit first knows the command never started, and runs it itself. The child reports its own
        exit code too, so a command outlives a server killed under it; the server reports it again from the
        wait status, which covers a killed child (the client takes the first)."""

        def started() -> None:
            conn.sendall(json.dumps({"pid": os.getpid()}).encode() + b"\n")

        pid = os.fork()
        if pid:
            return pid
        code = 1
        try:
            self.leave()
            code = run_command(request, fds, started)
            with contextlib.suppress(OSError):
                conn.sendall(json.dumps({"exit": code}).encode() + b"\n")
        except BaseException:  # before the command ran: the log, the only place a server has to say so
            log(f"a child failed to start its command:\n{traceback.format_exc()}")
        finally:
            os._exit(code)

    def leave(self) -> None:
        """In a child: let go of everything that is the server's, so the command starts as a process of its own."""
        signal.set_wakeup_fd(-1)
        for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        self.selector.close()
        for sock in (self.listener, self.wake_read, self.wake_write, *self.children.values()):
            sock.close()
        self.lock.close()  # a command outliving a killed server must not keep the next one from starting

    def reap(self) -> None:
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            conn = self.children.pop(pid, None)
            if conn is None:
                continue
            self.last_active = self.clock()
            with contextlib.suppress(KeyError, ValueError):
                self.selector.unregister(conn)
            with contextlib.suppress(OSError):
                conn.sendall(json.dumps({"exit": exit_code(status)}).encode() + b"\n")
            conn.close()

    def client_gone(self, pid: int) -> None:
        """The client of a running command closed its end (killed, or its terminal went away): hang up the
        child as the terminal would have."""
        conn = self.children[pid]
        with contextlib.suppress(OSError):
            if conn.recv(1):
                return
        self.selector.unregister(conn)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGHUP)


def run_command(request: dict[str, Any], fds: list[int], started: Callable[[], None]) -> int:
    """In a child: become the client's process (descriptors, directory, umask, environment), call `started`,
    and run `faye`."""
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
    for fd in fds:
        os.close(fd)
    os.umask(request["umask"])
    os.environ.clear()
    os.environ.update(request["env"])
    time.tzset()
    sys.stdin, sys.stdout, sys.stderr = (reopen(fd, spec) for fd, spec in enumerate(request["streams"]))
    sys.argv = list(request["argv"])
    main_module = types.ModuleType("__main__")  # the client's script, not cli.server: `faye`, or python -m cli
    main_module.__package__ = request["main_package"]
    sys.modules["__main__"] = main_module
    started()
    try:
        os.chdir(request["cwd"])
        from cli.main import main

        main()
        code = 0
    except SystemExit as exc:
        code = system_exit_code(exc)
    except OSError as exc:  # the working directory: nothing else reaches here past cli.runtime's guard
        sys.stderr.write(f"faye: {exc}\n")
        code = 2
    except BaseException:
        traceback.print_exc()
        code = 1
    logging.shutdown()  # what the interpreter's exit would have done: os._exit does not
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    return code


def reopen(fd: int, spec: list[str] | None) -> IO[str]:
    """A text stream on `fd` as the client's Python had it: its encoding and error handler, and line-buffered
    where a person reads it (a terminal, or stderr)."""
    encoding, errors = spec if spec is not None else (None, None)
    if fd == 0:
        return open(fd, encoding=encoding, errors=errors, closefd=False)
    line = fd == 2 or os.isatty(fd)
    return open(fd, "w", buffering=1 if line else -1, encoding=encoding, errors=errors, closefd=False)


def system_exit_code(exc: SystemExit) -> int:
    """What Python makes of sys.exit(x): None is 0, an int itself, anything else printed to stderr and 1."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    sys.stderr.write(f"{exc.code}\n")
    return 1


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m cli.server", description=__doc__.splitlines()[0])
    parser.add_argument("--idle", type=float, default=DEFAULT_IDLE, help="seconds without a command before exiting")
    parser.add_argument("--ready-fd", type=int, help="descriptor to write the server's status to once it listens")
    parser.add_argument("--listen-fd", type=int, help=argparse.SUPPRESS)  # kept across a restart, with the lock
    parser.add_argument("--lock-fd", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    path = client.socket_path()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        sys.exit(f"faye server: cannot create {path.parent}: {exc.strerror}")
    if not client.private(path.parent):
        sys.exit(f"faye server: {path.parent} is not this user's alone (owner and mode 700 expected): not starting")
    if args.lock_fd is not None:  # a restart: the lock was never let go
        lock = open(args.lock_fd, "a")  # noqa: SIM115 - held for the server's whole life
    else:
        lock = open(path.with_suffix(".lock"), "a")  # noqa: SIM115 - held for the server's whole life
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log("another server holds the lock: not starting")
            announce(args.ready_fd, {"already_running": True})
            sys.exit(0)
    preload()
    server = Server(path, args.idle, snapshot(), lock)
    server.bind(args.listen_fd)
    log(f"listening on {path} (process {os.getpid()}, idle timeout {args.idle:g} s)")
    announce(args.ready_fd, server.status())
    server.loop()
    if server.restart:
        log("restarting")
        listening, locked = server.listener.fileno(), lock.fileno()
        os.set_inheritable(listening, True)
        os.set_inheritable(locked, True)
        kept = ["--listen-fd", str(listening), "--lock-fd", str(locked)]
        os.execv(sys.executable, [sys.executable, "-m", "cli.server", "--idle", str(args.idle), *kept])
    lock.close()
    log("stopped")


def announce(fd: int | None, document: dict[str, Any]) -> None:
    if fd is not None:
        with open(fd, "w") as ready:
            ready.write(json.dumps(document) + "\n")


if __name__ == "__main__":
    main()
