"""The Esprit progression commands under `faye esprit`: train, ascend, release, lock, unlock, history.

Each is one service call (faye.services.progression) through `cli.runtime.invoke`. `release` is the one that asks:
it shows the service's preview (exactly what goes and what comes back) and, when someone is at the terminal,
asks before releasing exactly the previewed ids; a script (no terminal, or --json) gets the preview only, unless
it says --yes.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from cli.options import Bounded, ConfigDirOpt, DbOpt, EspritIdArg, IdList, JsonOpt, UserOpt
from cli.runtime import Target, invoke
from faye.inputs import ESPRIT_ID, KEEP, LEVEL, TRAIN_FAYLEN, TRAIN_LEVELS

if TYPE_CHECKING:
    from faye.results import Release


def train(
    esprit_id: EspritIdArg,
    user: UserOpt,
    levels: Annotated[
        int | None,
        typer.Option(
            "--levels", click_type=Bounded(TRAIN_LEVELS), help=f"Levels to gain, {TRAIN_LEVELS.rule} (up to the cap)."
        ),
    ] = None,
    faylen: Annotated[
        int | None,
        typer.Option(
            "--faylen",
            click_type=Bounded(TRAIN_FAYLEN),
            help=f"Faylen to spend, {TRAIN_FAYLEN.rule}; only the XP taken (up to the cap) is paid for.",
        ),
    ] = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    config_dir: ConfigDirOpt = None,
) -> None:
    """Spend faylen for XP: --levels N more levels, or what --faylen N buys (one of the two)."""
    from cli.output import show_training

    invoke(
        Target(db, config_dir, as_json),
        lambda app: app.progression.train(user, esprit_id, levels=levels, faylen=faylen),
        show_training,
    )


def ascend(
    esprit_id: EspritIdArg,
    user: UserOpt,
    using: Annotated[
        Sequence[int] | None,
        typer.Option(
            "--using",
            click_type=IdList(ESPRIT_ID),
            metavar="ID,ID",
            help="Consume exactly these duplicates (default: chosen for you, lowest level first).",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    config_dir: ConfigDirOpt = None,
) -> None:
    """Raise the Esprit one ascension rank (a higher level cap and stats), consuming duplicates and virelite."""
    from cli.output import show_ascension

    fodder = None if using is None else list(using)
    invoke(Target(db, config_dir, as_json), lambda app: app.progression.ascend(user, esprit_id, fodder), show_ascension)


def release(
    user: UserOpt,
    ids: Annotated[
        Sequence[int] | None,
        typer.Argument(
            click_type=IdList(ESPRIT_ID),
            metavar="[ID,ID]",
            help="The Esprits to release, by id; or choose them with the filters instead.",
            show_default=False,
        ),
    ] = None,
    rarity: Annotated[str | None, typer.Option("--rarity", "-r", help="Only Esprits of this rarity tier.")] = None,
    duplicates: Annotated[
        bool, typer.Option("--duplicates", help="Only copies beyond the best --keep of each species.")
    ] = False,
    keep: Annotated[
        int | None,
        typer.Option(
            "--keep",
            click_type=Bounded(KEEP),
            help=f"With --duplicates: the copies of each species kept, {KEEP.rule}. Default 1.",
            show_default=False,
        ),
    ] = None,
    below_level: Annotated[
        int | None, typer.Option("--below-level", click_type=Bounded(LEVEL), help="Only Esprits below this level.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would go and come back; change nothing.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Release without asking.")] = False,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    config_dir: ConfigDirOpt = None,
) -> None:
    """Turn Esprits back into faylen and virelite. Filters combine; locked and active Esprits are never released.

    Without --yes it shows exactly what goes and what comes back, then asks; with no terminal to ask (a script,
    --json) it only shows that preview ("dry_run": true) and exits 0.
    """
    from cli.output import show_release
    from faye.errors import InvalidArgument
    from faye.services.progression import ReleaseSelection

    target = Target(db, config_dir, as_json)
    if keep is not None and not duplicates:
        raise InvalidArgument("--keep: only with --duplicates (the copies of each species kept)", field="keep")
    selection = ReleaseSelection(
        ids=tuple(ids or ()), rarity=rarity, duplicates=duplicates, keep=keep or 1, below_level=below_level
    )
    if yes and not dry_run:
        invoke(target, lambda app: app.progression.release(user, selection), show_release)
        return
    preview: Release = invoke(target, lambda app: app.progression.release_preview(user, selection), show_release)
    if dry_run or as_json:
        return
    if not _confirm(f"Release {_count(preview)}?"):
        _say("Nothing was released." if _at_terminal() else "Nothing was released; add --yes to release them.")
        return
    exactly = ReleaseSelection(ids=tuple(preview.ids))  # what was shown, by id: a change since then is refused
    invoke(target, lambda app: app.progression.release(user, exactly), show_release)


def _count(preview: Release) -> str:
    from faye.display import plural

    return plural(len(preview.released), "Esprit")


def _at_terminal() -> bool:
    """Whether someone is there to answer a question: not a script, a pipe or a test runner."""
    return sys.stdin.isatty()


def _confirm(question: str) -> bool:
    """Ask at a terminal; with nobody there to answer, or at end of input, the answer is no."""
    if not _at_terminal():
        return False
    from rich.prompt import Confirm

    from cli.runtime import console

    try:
        return Confirm.ask(question, default=False, console=console())
    except EOFError:
        return False


def _say(message: str) -> None:
    from cli.runtime import console

    console().print(message, style="dim")


def lock(
    esprit_id: EspritIdArg, user: UserOpt, as_json: JsonOpt = False, db: DbOpt = None, config_dir: ConfigDirOpt = None
) -> None:
    """Lock (favourite) an Esprit: it cannot be released, consumed by an ascension or listed until unlocked."""
    from cli.output import show_lock

    invoke(Target(db, config_dir, as_json), lambda app: app.progression.lock(user, esprit_id, locked=True), show_lock)


def unlock(
    esprit_id: EspritIdArg, user: UserOpt, as_json: JsonOpt = False, db: DbOpt = None, config_dir: ConfigDirOpt = None
) -> None:
    """Unlock an Esprit, so it may be released, consumed or listed again."""
    from cli.output import show_lock

    invoke(Target(db, config_dir, as_json), lambda app: app.progression.lock(user, esprit_id, locked=False), show_lock)


def history(
    esprit_id: EspritIdArg, user: UserOpt, as_json: JsonOpt = False, db: DbOpt = None, config_dir: ConfigDirOpt = None
) -> None:
    """Every event in the life of an Esprit you hold or once held: created, escrowed, sold, ascended, released…"""
    from cli.output import show_history

    invoke(Target(db, config_dir, as_json), lambda app: app.progression.history(user, esprit_id), show_history)


def register(esprit_app: typer.Typer) -> None:
    esprit_app.command("train")(train)
    esprit_app.command("ascend")(ascend)
    esprit_app.command("release")(release)
    esprit_app.command("lock")(lock)
    esprit_app.command("unlock")(unlock)
    esprit_app.command("history")(history)
