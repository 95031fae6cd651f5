"""The text rules of faye/text.py and the terminal's one way to show foreign text, cli/text.py."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from rich.panel import Panel

from cli.text import safe
from faye.text import clean_name, has_unprintable, printable, quoted


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Ana", "Ana"),
        ("\x1b]0;HACKED\x07\x1b[2J", "\ufffd]0;HACKED\ufffd\ufffd[2J"),
        ("a\x9b31mb", "a\ufffd31mb"),  # an 8-bit CSI
        ("abc\u202edef", "abc\ufffddef"),  # a right-to-left override
        ("\udcff", "\ufffd"),  # invalid UTF-8 from the command line
        ("👩\u200d💻 ب\u200cی", "👩\u200d💻 ب\u200cی"),  # joiners make emoji and words: they stay
    ],
)
def test_printable(text: str, shown: str) -> None:
    assert printable(text) == shown
    assert has_unprintable(text) == (text != shown)


def test_quoted_clips_long_input() -> None:
    assert quoted("x" * 100) == repr("x" * 40 + "…")
    assert quoted("a\x1bb") == repr("a\ufffdb")


def test_clean_name_folds_then_strips_then_folds_again() -> None:
    assert clean_name("a \x1b b", "id") == "a b"
    assert clean_name("\x1b", "id") == "id"


def render(*renderables: object) -> str:
    out = io.StringIO()
    Console(file=out, force_terminal=True, color_system="truecolor", width=200).print(*renderables)
    return out.getvalue()


@pytest.mark.parametrize("text", ["x[/]", "[link=https://evil.example]Faye Support[/link]", "[bold]b[/bold] :smile:"])
def test_safe_text_is_never_markup(text: str) -> None:
    shown = render(safe(text), Panel("body", title=safe(text), subtitle=safe(text)))
    assert shown.count(text) == 3
    assert "\x1b]8;" not in shown  # no hyperlink


def test_safe_text_carries_no_terminal_command() -> None:
    shown = render(safe("\x1b]0;HACKED\x07\x1b[2J", "bold"))
    assert "\x1b]" not in shown
    assert "\x07" not in shown
    assert "\x1b[2J" not in shown
