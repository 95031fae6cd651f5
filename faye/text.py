"""Player- and designer-supplied text made safe to keep and to show, the same rule for every front-end.

Names and ids are data, never markup and never terminal commands: `clean_name` normalises a name once, at
registration; `printable` is applied again wherever any text a player could have typed is shown, so even text
that entered by another door (an old database row, a refusal echoing raw input) cannot reach a terminal as an
escape sequence. Each front-end then escapes its own markup (Rich in cli/text.py, Discord markdown in
discord_frontend/embeds.py).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

#: C0 and C1 controls (ESC, BEL, CR …), DEL, and the bidirectional and zero-width format characters that
#: reorder or hide text (U+200B-U+200F, U+202A-U+202E, U+2066-U+2069, U+FEFF), plus lone surrogates (what
#: Python makes of invalid UTF-8 on the command line).
_UNPRINTABLE: Final = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` with every control, bidi-override and invalid character replaced by U+FFFD (visible, harmless)."""
    return _UNPRINTABLE.sub("\ufffd", text)


def has_unprintable(text: str) -> bool:
    """True when `text` holds a character `printable` would replace."""
    return _UNPRINTABLE.search(text) is not None


def normalise(text: str) -> str:
    """NFC-normalised, with runs of white space folded to one space and the ends stripped."""
    return " ".join(unicodedata.normalize("NFC", text).split())
