"""Running one service call per command: settings, the app, errors, and JSON or Rich output.

Every command goes through `invoke`, so the exit-code contract lives here once: 0 success, 1 a game refusal,
2 bad usage or bad input/config, 3 an internal error (a bug: never a traceback, a short report instead).
A `faye play` session installs a shared app and event loop so its commands keep one RNG and one clock.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import sys
import traceback
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, NoReturn, TypeVar

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


@dataclass(frozen=True)
class Target:
    """Where a command runs (database, game data) and how it answers (JSON or Rich)."""

    db: str | None = None
    config_dir: Path | None = None
    as_json: bool = False


@dataclass(frozen=True)
class View:
    """What a formatter needs: a console and the game data (rarity colours, stat icons)."""

    console: Console
    config: GameConfig


Call = Callable[["FayeApp"], Coroutine[Any, Any, T]]
Show = Callable[[T, View], None]


class Session:
    """One event loop and one open FayeApp shared by many commands (`faye play`)."""

    def __init__(self, runner: asyncio.Runner, app: FayeApp) -> None:
        self.runner = runner
        self.app = app

    def run(self, call: Call[T]) -> T:
        return self.runner.run(call(self.app))


_session: Session | None = None


def set_session(session: Session | None) -> None:
    global _session
    _session = session


def console(*, stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def load_settings(target: Target) -> Settings:
    from pydantic import ValidationError

    from faye.errors import InvalidArgument
    from faye.settings import Settings

    overrides: dict[str, Any] = {}
    if target.db is not None:
        overrides["database_url"] = target.db
    if target.config_dir is not None:
        overrides["config_dir"] = target.config_dir
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = "; ".join(f"FAYE_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}" for e in exc.errors())
        raise InvalidArgument(f"invalid setting: {problems}") from None


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


def fail(error: FayeError, as_json: bool) -> NoReturn:
    if as_json:
        emit_json({"error": error.to_dict()})
    else:
        console(stderr=True).print(f"[bold red]✗[/] {error.message}", soft_wrap=True)
    raise typer.Exit(exit_code_for(error))


def crash(exc: BaseException, as_json: bool) -> NoReturn:
    """An unexpected exception: a short id to quote, the traceback in a temp file, never on screen."""
    import tempfile

    incident = uuid.uuid4().hex[:8]
    report = Path(tempfile.gettempdir()) / f"faye-error-{incident}.log"
    report.write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
    message = f"internal error {incident}: {type(exc).__name__}. Details: {report}"
    if as_json:
        emit_json({"error": {"code": "internal_error", "message": message, "incident": incident}})
    else:
        console(stderr=True).print(f"[bold red]✗[/] {message}")
    raise typer.Exit(EXIT_INTERNAL)


def guarded(as_json: bool, thunk: Callable[[], T]) -> T:
    """Run `thunk`, turning a FayeError into its exit code and anything unexpected into an incident report."""
    from faye.errors import FayeError

    try:
        return thunk()
    except FayeError as exc:
        fail(exc, as_json)
    except (typer.Exit, KeyboardInterrupt):
        raise
    except Exception as exc:
        crash(exc, as_json)


def run_call(target: Target, call: Call[T]) -> tuple[T, GameConfig]:
    """Run one service call in the play session's app, or in a fresh one; errors become exits."""
    if _session is not None:
        session = _session
        return guarded(target.as_json, lambda: (session.run(call), session.app.config))
    return guarded(target.as_json, lambda: asyncio.run(_once(target, call)))


@dataclass(frozen=True)
class ImageOut(Generic[R_contra]):
    """`--image PATH`: save a PNG of the command's result, drawn by `draw` (a faye.render function)."""

    path: Path
    draw: Callable[[R_contra, GameConfig], bytes]

    @classmethod
    def of(cls, path: Path | None, draw: Callable[[R_contra, GameConfig], bytes]) -> ImageOut[R_contra] | None:
        return None if path is None else cls(path, draw)


def _unwritable(path: Path) -> str | None:
    if path.is_dir():
        return "it is a directory"
    if not path.parent.is_dir():
        return f"the directory {path.parent} does not exist"
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return "permission denied"
    return None


def check_writable(path: Path, option: str = "--image") -> None:
    """Refuse an output path that cannot be written: before the command spends anything, not after."""
    from faye.errors import InvalidArgument

    problem = _unwritable(path)
    if problem is not None:
        raise InvalidArgument(f"{option}: cannot write {path}: {problem}", field=option.lstrip("-"), path=str(path))


def write_file(path: Path, data: bytes, option: str = "--image") -> None:
    from faye.errors import InvalidArgument

    try:
        path.write_bytes(data)
    except OSError as exc:
        message = f"{option}: cannot write {path}: {exc.strerror or exc}"
        raise InvalidArgument(message, field=option.lstrip("-"), path=str(path)) from None


def invoke(target: Target, call: Call[T], show: Show[T], image: ImageOut[T] | None = None) -> T:
    """The whole life of a command: call the service, print JSON or the Rich view, return the result.

    With `image`, the path is checked before the call and the PNG written after it; the JSON document then
    gains `"image": PATH`, the Rich view a line saying where the card went.
    """
    if image is not None:
        guarded(target.as_json, lambda: check_writable(image.path))
    result, config = run_call(target, call)
    if image is not None:
        guarded(target.as_json, lambda: write_file(image.path, image.draw(result, config)))
    if target.as_json:
        emit_json(result if image is None else {**to_jsonable(result), "image": str(image.path)})
    else:
        show(result, View(console(), config))
        if image is not None:
            console().print(f"Card saved to {image.path}")
    return result
