"""Running one service call per command: settings, the app, errors, and JSON or Rich output.

The exit-code contract lives here once, in `guard`, which `cli.main.FayeGroup` wraps around everything a
command does (path checks, the service call, drawing, output), as pip's `_run_wrapper` does: 0 success; 1 the
game refused, 2 bad usage or input or the game unavailable (both from the error's kind); 3 an internal error (a
bug: an incident id on screen, the traceback in a temp file); 130 interrupted and 141 stdout closed early
(`faye rates | head -1`), both quietly. The CLI's own hint for an error (the command to run) is added by code
in `HINTS`; service messages name no front-end.
A `faye play` session installs a shared app and event loop so its commands keep one RNG and one clock.
"""

from __future__ import annotations

import asyncio
import dataclasses
import errno
import functools
import json
import os
import sys
import tempfile
import traceback
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Generic, NoReturn, TypeVar

import click
import typer

if TYPE_CHECKING:
    from rich.console import Console

    from faye.app import FayeApp
    from faye.config import GameConfig
    from faye.errors import FayeError
    from faye.settings import Settings

T = TypeVar("T")
R_contra = TypeVar("R_contra", contravariant=True)

EXIT_REFUSED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130
"""128 + SIGINT, as a shell reports a program stopped by Ctrl-C."""
EXIT_BROKEN_PIPE = 141
"""128 + SIGPIPE, as a shell reports a program whose reader went away (`| head`)."""

#: The terminal's own words after a service's message, by FayeError code: what to run about it. The service
#: message names no front-end; the Discord bot has its own table (discord_frontend.embeds.REFUSALS).
HINTS: Final[dict[str, str]] = {
    "not_registered": "run `faye start --user ID` to join",
    "policy_not_accepted": "run `faye start` at a terminal to read the policy, or add --accept-policy",
    "in_escrow": "`faye auction history` shows your open listings; `faye auction cancel LISTING` takes it back",
    "locked": "`faye esprit unlock ID` unlocks it",
    "active_esprit": "`faye active set ID` makes another Esprit your active one",
    "level_cap": "`faye esprit ascend ID` raises its level cap",
    "reserved": "`faye trade list` shows your open trades; `faye trade remove` or `faye trade cancel` frees it",
    "trade_changed": "`faye trade show ID` shows the trade as it is now; confirm that version",
    "banner_closed": "`faye banners` lists the banners open now",
    "stage_locked": "`faye battle trials` shows the next stage to clear",
    "no_defence": "they save one with `faye battle team set`; `faye leaderboard --by rating` lists who duels",
    "team_invalid": "`faye inventory` lists your Esprits and their ids",
    "schema_outdated": "back up the database, then run `faye db upgrade`",
    "schema_too_new": "this Faye is older than the database: upgrade Faye, then run the command again",
}

_completed: ContextVar[bool] = ContextVar("faye_command_completed", default=False)
"""Set once a command's service call has returned: a crash after it did not undo what the call did."""


@dataclass(frozen=True)
class Target:
    """Where a command runs (database, game data) and how it answers (JSON or Rich)."""

    db: str | None = None
    config_dir: Path | None = None
    as_json: bool = False
    assets_dir: Path | None = None


@dataclass(frozen=True)
class View:
    """What a formatter needs: a console and the game data (rarity colours, stat icons)."""

    console: Console
    config: GameConfig


Call = Callable[["FayeApp"], Awaitable[T]]
Show = Callable[[T, View], None]


class Session:
    """One event loop and one open FayeApp shared by many commands (`faye play`)."""

    def __init__(self, runner: asyncio.Runner, app: FayeApp) -> None:
        self.runner = runner
        self.app = app

    def run(self, call: Call[T]) -> T:
        return self.runner.run(self._run(call))

    async def _run(self, call: Call[T]) -> T:
        return await call(self.app)  # the runner takes a coroutine; a service method may return any awaitable


_session: Session | None = None


def set_session(session: Session | None) -> None:
    global _session
    _session = session


def console(*, stderr: bool = False) -> Console:
    return _console_type()(stderr=stderr, highlight=False)


@functools.cache
def _console_type() -> type[Console]:
    """Rich's Console, except that a closed pipe is left to `guard` (Rich's own handler exits 1)."""
    from rich.console import Console

    class PipeConsole(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            raise BrokenPipeError(errno.EPIPE, "the reader of the output went away")

    return PipeConsole


def load_settings(target: Target) -> Settings:
    from faye import settings

    overrides: dict[str, Any] = {}
    if target.db is not None:
        overrides["database_url"] = target.db
    if target.config_dir is not None:
        overrides["config_dir"] = target.config_dir
    if target.assets_dir is not None:
        overrides["assets_dir"] = target.assets_dir
    return settings.load_settings(**overrides)


async def _once(target: Target, call: Call[T]) -> tuple[T, GameConfig]:
    from faye.app import FayeApp

    async with FayeApp.open(load_settings(target)) as app:
        return await call(app), app.config


def to_jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def emit_json(document: Any) -> None:
    sys.stdout.write(json.dumps(to_jsonable(document), ensure_ascii=False) + "\n")
    sys.stdout.flush()


def exit_code_for(error: FayeError) -> int:
    """The exit code of a refusal, from its kind alone: 1 the game refused, 2 bad input or the game unavailable."""
    from faye.errors import ErrorKind

    return EXIT_REFUSED if error.kind is ErrorKind.REFUSED else EXIT_BAD_INPUT


def cli_message(error: FayeError) -> str:
    """The service's message, then the terminal's hint for its code (`HINTS`), if it has one."""
    hint = HINTS.get(error.code)
    return error.message if hint is None else f"{error.message}; {hint}"


def fail(error: FayeError, as_json: bool) -> NoReturn:
    """Report a refusal (JSON: its code, kind, details, the CLI's message and `hint`) and exit by its kind."""
    message = cli_message(error)
    if as_json:
        hint = HINTS.get(error.code)
        emit_json({"error": {**error.to_dict(), "message": message, **({"hint": hint} if hint else {})}})
    else:
        _say("✗ ", "bold red", message)
    raise typer.Exit(exit_code_for(error))


def crash(exc: BaseException, as_json: bool) -> NoReturn:
    """An unexpected exception: a short id to quote, the traceback in a private temp file, never on screen.

    When the command's service call had already returned, the message says so: what it did (a summon paid
    for) stands, and running the command again would do it again.
    """
    incident = uuid.uuid4().hex[:8]
    report: str | None
    try:
        handle, report = tempfile.mkstemp(prefix=f"faye-error-{incident}-", suffix=".log")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write("".join(traceback.format_exception(exc)))
    except OSError:
        report = None
    completed = _completed.get()
    message = f"internal error {incident}: {type(exc).__name__}"
    if completed:
        message += " while showing the result; the command itself was carried out, do not repeat it"
    message += f". Details: {report}" if report else ". The details could not be saved"
    if as_json:
        emit_json(
            {
                "error": {
                    "code": "internal_error",
                    "message": message,
                    "incident": incident,
                    "report": report,
                    "completed": completed,
                }
            }
        )
    else:
        _say("✗ ", "bold red", message)
    raise typer.Exit(EXIT_INTERNAL)


def stdout_closed() -> int:
    """Stdout's reader went away: point it at /dev/null, so the interpreter's last flush is silent too
    (no "Exception ignored … BrokenPipeError"); returns the exit code to end with."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout has no file descriptor (a test runner's buffer): nothing to flush
        pass
    return EXIT_BROKEN_PIPE


@contextmanager
def guard(as_json: bool) -> Iterator[None]:
    """The one guard around a whole command: every way it can end becomes an exit code (module docstring).

    A FayeError is reported by `fail`, anything unexpected by `crash`; click's own exits and usage errors pass
    through; a closed stdout and Ctrl-C end quietly.
    """
    from faye.errors import FayeError

    token = _completed.set(False)
    try:
        try:
            yield
        except (click.ClickException, click.exceptions.Exit, click.Abort, BrokenPipeError):
            raise
        except FayeError as exc:
            fail(exc, as_json)
        except KeyboardInterrupt:
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except Exception as exc:
            crash(exc, as_json)
    except BrokenPipeError:  # from the command's output, or from reporting its error
        raise typer.Exit(stdout_closed()) from None
    finally:
        _completed.reset(token)


def _say(mark: str, style: str, message: str) -> None:
    """A message on stderr: the mark styled, the message as literal text (it may echo a player's input), its
    lines kept (a config error lists one problem a line)."""
    from rich.text import Text

    from cli.text import safe

    text = Text("\n").join(safe(line) for line in message.splitlines())
    console(stderr=True).print(Text.assemble((mark, style), text), soft_wrap=True)


def run_call(target: Target, call: Call[T]) -> tuple[T, GameConfig]:
    """Run one service call in the play session's app, or in a fresh one."""
    if _session is not None:
        return _session.run(call), _session.app.config
    return asyncio.run(_once(target, call))


@dataclass(frozen=True)
class ImageOut(Generic[R_contra]):
    """`--image PATH`: save a PNG of the command's result, drawn by `draw` (a faye.render function)."""

    path: Path
    draw: Callable[[R_contra, GameConfig], bytes]

    @classmethod
    def of(cls, path: Path | None, draw: Callable[[R_contra, GameConfig], bytes]) -> ImageOut[R_contra] | None:
        return None if path is None else cls(path, draw)

    def save(self, result: R_contra, config: GameConfig) -> str | None:
        """Draw and write the PNG; the reason it could not be written, or None."""
        return write_problem(self.path, self.draw(result, config))


def _unwritable(path: Path) -> str | None:
    if path.is_dir():
        return "it is a directory"
    if not path.parent.is_dir():
        return f"the directory {path.parent} does not exist"
    # An existing file is written in place (its folder's permissions do not matter: /dev/stdout); a new one is
    # created in its folder.
    if not os.access(path if path.exists() else path.parent, os.W_OK):
        return "permission denied"
    return None


def check_writable(path: Path, option: str = "--image") -> None:
    """Refuse an output path that cannot be written: before the command spends anything, not after."""
    from faye.errors import InvalidArgument

    problem = _unwritable(path)
    if problem is not None:
        raise InvalidArgument(f"{option}: cannot write {path}: {problem}", field=option.lstrip("-"), path=str(path))


def write_problem(path: Path, data: bytes, option: str = "--image") -> str | None:
    """Write `data` to `path`; why it could not be written (a full disk, a vanished folder), or None."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        return f"{option}: cannot write {path}: {exc.strerror or exc}"
    return None


def write_file(path: Path, data: bytes, option: str = "--image") -> None:
    """Write a file that is the command's whole result (a plot, a rendered card): failing is bad input, exit 2."""
    from faye.errors import InvalidArgument

    problem = write_problem(path, data, option)
    if problem is not None:
        raise InvalidArgument(problem, field=option.lstrip("-"), path=str(path))


def invoke(target: Target, call: Call[T], show: Show[T], image: ImageOut[T] | None = None) -> T:
    """The whole life of a command: call the service, print JSON or the Rich view, return the result.

    With `image`, the path is checked before the call (refused before anything is spent) and the PNG written
    after it; the JSON document then gains `"image": PATH`, the Rich view a line saying where the card went.
    A picture that cannot be written after all (a full disk) does not undo what the call did: the result is
    still shown, with a warning (JSON: `"warnings": [{"code": "image_not_saved", "path", "message"}]`, Rich: a
    line on stderr), and the exit code is 0.
    """
    if image is not None:
        check_writable(image.path)
    result, config = run_call(target, call)
    _completed.set(True)
    problem = image.save(result, config) if image is not None else None
    if target.as_json:
        if image is None:
            emit_json(result)
        elif problem is None:
            emit_json({**to_jsonable(result), "image": str(image.path)})
        else:
            warning = {"code": "image_not_saved", "path": str(image.path), "message": problem}
            emit_json({**to_jsonable(result), "warnings": [warning]})
    else:
        from cli.text import safe

        show(result, View(console(), config))
        if image is not None and problem is None:
            console().print(safe(f"Card saved to {image.path}"))
        elif problem is not None:
            _say("⚠ ", "bold yellow", f"{problem}; the card was not saved, the command itself succeeded")
    return result
