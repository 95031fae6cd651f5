"""The one way the terminal client shows text it did not write itself: as Rich `Text`, never as markup.

A player's name `x[/]` or `[link=…]` is shown as those characters; control characters (an ESC that would
retitle or clear the viewer's terminal) become U+FFFD. Every table cell, panel title and message that holds a
name, an id, a search term or a refusal message goes through `safe`.
"""

from __future__ import annotations

from rich.text import Text

from faye.text import printable


def safe(text: str, style: str = "") -> Text:
    """`text` as literal Rich text (no markup, no emoji codes), control characters replaced."""
    return Text(printable(text), style=style)
