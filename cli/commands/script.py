"""`faye script`: a session file run in one process, for testers in CI; its language is in cli.script_expect.

Every command runs through the root group (so through its one guard) as if with --json, in one FayeApp and event
loop shared with `faye play` (`cli.commands.play.shared_session`): a hundred commands cost one start-up.
"""

from __future__ import annotations

import difflib
import io
import json
import os
import sys
from contextlib import redirect_stdout
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import click
import typer

from cli.commands.play import NOT_IN_PLAY, acting_as, advance_clock, shared_session
from cli.options import ConfigDirOpt, DbOpt
from cli.runtime import EXIT_BROKEN_PIPE, EXIT_INTERRUPTED, EXIT_REFUSED, Target, console
from cli.script_expect import (
    RECORD_MARK,
    Advance,
    Command,
    Expect,
    Outcome,
    ScriptSyntaxError,
    Step,
    User,
    parse,
    without_records,
)

if TYPE_CHECKING:
    from faye.clock import ShiftedClock


def _read(file: str) -> str:
    from faye.errors import InvalidArgument

    if file == "-":
        return sys.stdin.read()
    try:
        return Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidArgument(f"cannot read the session file {file}: {exc}", field="file", path=file) from None


def _steps(source: str, root: click.Group, file: str) -> list[Step]:
    """The whole file parsed before anything runs: a malformed line is bad input (exit 2), named by its number."""
    from faye.errors import InvalidArgument

    ctx = click.Context(root, info_name="faye")
    listed = (name for name in root.list_commands(ctx) if name not in NOT_IN_PLAY)
    commands = {name: cmd for name in listed if (cmd := root.get_command(ctx, name)) is not None}
    groups = {name: set(cmd.commands) for name, cmd in commands.items() if isinstance(cmd, click.Group)}
    try:
        return parse(source, commands, groups)
    except ScriptSyntaxError as exc:
        raise InvalidArgument(f"{file} line {exc.line}: {exc.message}", field="line", line=exc.line) from None


def _run_command(root: click.Group, step: Command) -> Outcome:
    """One command as if with --json, its stdout captured: the exit code and the document it printed."""
    args = list(step.args) if "--json" in step.args else [*step.args, "--json"]
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        code = root.main(args=args, prog_name="faye", standalone_mode=False)
    if code in (EXIT_INTERRUPTED, EXIT_BROKEN_PIPE):
        raise typer.Exit(code)
    text = buffer.getvalue().strip()
    try:
        document: Any = json.loads(text) if text else None
    except json.JSONDecodeError:
        document = {"output": text}
    return Outcome(code if isinstance(code, int) else 0, document)


class _Run:
    """Runs the steps, printing one JSON line per command and keeping the recording (`--record`, `--check`)."""

    def __init__(self, root: click.Group, clock: ShiftedClock, lines: list[str]) -> None:
        self.root = root
        self.clock = clock
        self.lines = lines
        self.recorded: dict[int, str] = {}

    def run(self, steps: list[Step], file: str) -> int:
        from faye.errors import InvalidArgument

        last: Outcome | None = None
        for step in steps:
            if isinstance(step, User):
                os.environ["FAYE_USER"] = step.name  # put back by the script's own acting_as
            elif isinstance(step, Advance):
                try:
                    advance_clock(self.clock, step.hours)
                except InvalidArgument as exc:
                    raise InvalidArgument(f"{file} line {step.line}: advance: {exc.message}", line=step.line) from None
            elif isinstance(step, Command):
                last = _run_command(self.root, step)
                document = {"line": step.line, "command": step.text, "exit": last.exit_code, "result": last.document}
                self._emit(step.line, document)
            elif isinstance(step, Expect) and last is not None:
                actual = step.check(last)
                if actual is not None:
                    self._emit(step.line, {"line": step.line, "expect": step.text, "ok": False, "actual": actual})
                    console(stderr=True).print(
                        f"✗ {file} line {step.line}: expected {step.expected}, got {actual}",
                        markup=False,
                        highlight=False,
                        soft_wrap=True,
                    )
                    return EXIT_REFUSED
        return 0

    def _emit(self, line: int, document: dict[str, Any]) -> None:
        text = json.dumps(document, ensure_ascii=False)
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
        self.recorded[line] = text

    def recording(self) -> str:
        """The session file with every output after its line (`#> {...}`), recorded outputs of old runs dropped."""
        out: list[str] = []
        for number, line in enumerate(self.lines, start=1):
            out.append(line)
            if number in self.recorded:
                out.append(RECORD_MARK + self.recorded[number])
        return "".join(f"{line}\n" for line in out)


def script(
    file: Annotated[str, typer.Argument(help="The session file, or - for stdin.", show_default=False)] = "-",
    user: Annotated[
        str | None, typer.Option("--user", "-u", envvar="FAYE_USER", help="Who the commands act as (`user NAME`).")
    ] = None,
    record: Annotated[Path | None, typer.Option("--record", help="Write the session with every output here.")] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Replay a recorded FILE; a diff and exit 1 where an output changed.")
    ] = False,
    db: DbOpt = None,
    config_dir: ConfigDirOpt = None,
) -> None:
    """Run a session file in one process: JSON Lines out, `expect` lines as assertions (see README, Scripting)."""
    from cli.main import app as root_app
    from cli.runtime import check_writable, write_file

    root = typer.main.get_command(root_app)
    assert isinstance(root, click.Group)
    source = _read(file)
    lines = without_records(source)  # line numbers count the script's own lines, not recorded outputs
    steps = _steps(lines, root, file)
    if record is not None:
        check_writable(record, "--record")
    with acting_as(user), shared_session(Target(db, config_dir)) as clock:
        session = _Run(root, clock, lines.splitlines())
        code = session.run(steps, file)
    recording = session.recording()
    if record is not None:
        write_file(record, recording.encode("utf-8"), "--record")
    if check and code == 0 and recording != source:
        diff = difflib.unified_diff(
            source.splitlines(keepends=True), recording.splitlines(keepends=True), f"{file} (recorded)", "this run"
        )
        sys.stderr.write("".join(diff))
        code = EXIT_REFUSED
    if code:
        raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel="Play")(script)
