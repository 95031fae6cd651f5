"""Session files for `faye script`: parsing lines into steps, and the small expectation language. Pure: no I/O.

A session file holds one step a line; blank lines and `#` comments are skipped:

    COMMAND ARGS...            a faye command without the `faye` prefix (shell quoting), run as if with --json
    user NAME                  the player the following commands act as (their `--user`)
    advance HOURS              move the session clock on (bounded like `faye play`'s `wait`)
    expect exit N              the previous command's exit code
    expect error CODE          the previous command's error code (`.error.code`)
    expect PATH [| length] OP JSON   a value in the previous command's JSON document

PATH is `.` (the whole document) followed by `.key` and `[index]` steps (`.balance.gems`, `.esprits[0].rarity`,
`[-1]` from the end); `| length` takes the length of a list, object or string; OP is one of == != < <= > >=;
the right-hand side is a JSON literal (`200`, `"rare"`, `true`, `null`, `[1, 2]`). `<` and friends compare
numbers with numbers and strings with strings only. Nothing is evaluated as Python.
"""

from __future__ import annotations

import json
import math
import operator
import re
import shlex
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, Final

RECORD_MARK: Final = "#> "
"""A recorded output line (`--record`): a comment to the parser, the expected output to `--check`."""

_OPS: Final[dict[str, Callable[[Any, Any], bool]]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<=": operator.le,
    ">=": operator.ge,
    "<": operator.lt,
    ">": operator.gt,
}
_EXPRESSION: Final = re.compile(
    r"^(?P<path>\S*?)\s*(?P<length>\|\s*length\s*)?(?P<op>==|!=|<=|>=|<|>)\s*(?P<value>.+)$"
)
_STEP: Final = re.compile(r"\.([A-Za-z_][A-Za-z0-9_-]*)|\[(-?\d+)\]")
_MISSING: Final = object()


class ScriptSyntaxError(ValueError):
    """A line that cannot be run; `line` is its 1-based number."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Command:
    line: int
    args: tuple[str, ...]

    @property
    def text(self) -> str:
        return shlex.join(self.args)


@dataclass(frozen=True)
class User:
    line: int
    name: str


@dataclass(frozen=True)
class Advance:
    line: int
    hours: float


@dataclass(frozen=True)
class Outcome:
    """What a command did: its exit code and its JSON document (None when it printed none)."""

    exit_code: int
    document: Any


@dataclass(frozen=True)
class Expect:
    """One assertion about the previous command; `check` says what was found instead, or None when it holds."""

    line: int
    text: str
    expected: str
    check: Callable[[Outcome], str | None]


Step = Command | User | Advance | Expect


def parse_path(text: str) -> tuple[str | int, ...]:
    """`.a.b[0]` -> ("a", "b", 0); raises ValueError on anything else."""
    if not text.startswith("."):
        raise ValueError(f"a path starts with `.`, not {text!r}")
    rest = "" if text == "." else text
    steps: list[str | int] = []
    position = 0
    while position < len(rest):
        match = _STEP.match(rest, position)
        if match is None:
            raise ValueError(f"cannot read the path {text!r} at {rest[position:]!r}")
        key, index = match.groups()
        steps.append(key if key is not None else int(index))
        position = match.end()
    return tuple(steps)


def resolve(document: Any, path: tuple[str | int, ...]) -> Any:
    """The value at `path`, or `_MISSING`."""
    value = document
    for step in path:
        if isinstance(step, str):
            found = isinstance(value, Mapping) and step in value
        else:
            found = isinstance(value, list) and -len(value) <= step < len(value)
        if not found:
            return _MISSING
        value = value[step]
    return value


def _shown(value: Any) -> str:
    return "nothing (no such path)" if value is _MISSING else json.dumps(value, ensure_ascii=False)


def _comparable(left: Any, right: Any) -> bool:
    def number(value: Any) -> bool:
        return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)

    return (number(left) and number(right)) or (isinstance(left, str) and isinstance(right, str))


def _value_check(line: int, text: str) -> Callable[[Outcome], str | None]:
    match = _EXPRESSION.match(text)
    if match is None:
        raise ScriptSyntaxError(line, f"cannot read the expectation {text!r}: expected PATH [| length] OP JSON")
    try:
        path = parse_path(match["path"])
        wanted = json.loads(match["value"])
    except ValueError as exc:  # json.JSONDecodeError is a ValueError
        raise ScriptSyntaxError(line, f"cannot read the expectation {text!r}: {exc}") from None
    compare = _OPS[match["op"]]
    ordered = match["op"] not in ("==", "!=")
    length = match["length"] is not None

    def check(outcome: Outcome) -> str | None:
        actual = resolve(outcome.document, path)
        if length:
            actual = len(actual) if isinstance(actual, list | dict | str) else _MISSING
        if ordered and not _comparable(actual, wanted):
            return f"{_shown(actual)}, which cannot be compared with {_shown(wanted)}"
        return None if compare(actual, wanted) else _shown(actual)

    return check


def _expect(line: int, text: str) -> Expect:
    words = text.split()
    if not words:
        raise ScriptSyntaxError(line, "`expect` needs something to expect: exit N, error CODE or PATH OP JSON")
    if words[0] == "exit":
        if len(words) != 2 or not words[1].isdigit():
            raise ScriptSyntaxError(line, f"`expect exit` takes one exit code, not {text[4:].strip()!r}")
        code = int(words[1])
        return Expect(line, text, f"exit {code}", lambda o: None if o.exit_code == code else f"exit {o.exit_code}")
    if words[0] == "error":
        if len(words) != 2:
            raise ScriptSyntaxError(line, "`expect error` takes one error code, e.g. `expect error cooldown_active`")
        wanted = words[1]

        def error_check(outcome: Outcome) -> str | None:
            actual = resolve(outcome.document, ("error", "code"))
            return None if actual == wanted else ("no error" if actual is _MISSING else f"error {_shown(actual)}")

        return Expect(line, text, f"error {json.dumps(wanted)}", error_check)
    return Expect(line, text, text, _value_check(line, text))


def parse(source: str, commands: Collection[str], groups: Mapping[str, Collection[str]]) -> list[Step]:
    """Every step of a session file, or ScriptSyntaxError for the first line that cannot run (before any runs).

    `commands` are the names a line may start with; `groups` the subcommands of those that are groups.
    """
    steps: list[Step] = []
    for number, raw in enumerate(source.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            args = shlex.split(line, comments=True)
        except ValueError as exc:
            raise ScriptSyntaxError(number, f"{exc} in {line!r}") from None
        if not args:
            continue
        name = args[0]
        if name == "expect":
            if not any(isinstance(step, Command) for step in steps):
                raise ScriptSyntaxError(number, "`expect` comes after a command")
            steps.append(_expect(number, line.removeprefix("expect").strip()))
        elif name == "user":
            if len(args) != 2:
                raise ScriptSyntaxError(number, "`user` takes one player id, e.g. `user alice`")
            steps.append(User(number, args[1]))
        elif name == "advance":
            if len(args) != 2:
                raise ScriptSyntaxError(number, "`advance` takes a number of hours, e.g. `advance 24`")
            try:
                steps.append(Advance(number, float(args[1])))
            except ValueError:
                raise ScriptSyntaxError(number, f"`advance` takes a number of hours, not {args[1]!r}") from None
        elif name not in commands:
            raise ScriptSyntaxError(number, f"unknown command {name!r}")
        else:
            subcommands = groups.get(name)
            if subcommands is not None and (len(args) < 2 or (args[1] not in subcommands and args[1] != "--help")):
                known = ", ".join(sorted(subcommands))
                raise ScriptSyntaxError(number, f"`{name}` takes a subcommand ({known})")
            steps.append(Command(number, tuple(args)))
    return steps


def without_records(source: str) -> str:
    """A recorded session's script: every line but the recorded outputs."""
    return "".join(line for line in source.splitlines(keepends=True) if not line.lstrip().startswith(RECORD_MARK))
