"""Player- and designer-supplied text made safe to keep and to show, the same rule for every front-end.

Names and ids are data, never markup and never terminal commands. At registration `check_user_id` refuses an
id that could not be typed back or shown as it is, and `clean_name` normalises a display name (NFC, white
space folded, control and format characters stripped, the id when nothing is left): a Discord display name is
never refused for a stray character, a terminal name loses the escape sequence it tried to smuggle.
`printable` is applied again wherever text a player could have typed is shown, so even text that entered by
another door (an old database row, a refusal echoing raw input) cannot reach a terminal as an escape
sequence. Each front-end then escapes its own markup (Rich in cli/text.py, Discord markdown in
discord_frontend/embeds.py).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from faye.errors import InvalidArgument

MAX_ID_LENGTH: Final = 64
MAX_NAME_LENGTH: Final = 100

#: C0 and C1 controls (ESC, BEL, CR …), DEL, the zero-width space, the bidirectional marks, embeddings,
#: overrides and isolates that reorder text (U+061C, U+200E-U+200F, U+202A-U+202E, U+2066-U+2069), the
#: byte-order mark, and lone surrogates (what Python makes of invalid UTF-8 on the command line). The zero-width
#: (non-)joiners U+200C-U+200D stay: emoji sequences and several scripts need them, and they move nothing.
_UNPRINTABLE: Final = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)


def printable(text: str) -> str:
    """`text` with every control, bidi-override and invalid character replaced by U+FFFD (visible, harmless)."""
    return _UNPRINTABLE.sub("\ufffd", text)


def has_unprintable(text: str) -> bool:
    """True when `text` holds a character `printable` would replace."""
    return _UNPRINTABLE.search(text) is not None


def normalise(text: str) -> str:
    """NFC-normalised, with runs of white space folded to one space and the ends stripped."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def quoted(text: str, limit: int = 40) -> str:
    """`text` for a message that echoes input: printable, quoted, cut after `limit` characters."""
    return repr(printable(text if len(text) <= limit else text[:limit] + "…"))


def check_user_id(user_id: str) -> str:
    """`user_id` if it can be a player's id, else InvalidArgument (field user_id).

    An id is a key typed back on every command, so it is refused rather than repaired: 1 to MAX_ID_LENGTH
    characters, printable, NFC, no white space at either end nor runs of it inside.
    """
    if not user_id or len(user_id) > MAX_ID_LENGTH or has_unprintable(user_id) or normalise(user_id) != user_id:
        raise InvalidArgument(
            f"a user id is 1 to {MAX_ID_LENGTH} printable characters without spaces at either end, "
            f"got {quoted(user_id)}",
            field="user_id",
        )
    return user_id


def clean_name(name: str, user_id: str) -> str:
    """The display name to keep: white space (tabs and newlines too) folded to one space, every other control
    and format character stripped, NFC; `user_id` when nothing is left. InvalidArgument (field username) when
    the result is longer than MAX_NAME_LENGTH."""
    cleaned = normalise(_UNPRINTABLE.sub("", normalise(name))) or user_id
    if len(cleaned) > MAX_NAME_LENGTH:
        raise InvalidArgument(
            f"a username is at most {MAX_NAME_LENGTH} characters, got {len(cleaned)}",
            field="username",
            length=len(cleaned),
        )
    return cleaned
