"""The player policy every front-end shows before registration; accepting it is recorded with a timestamp."""

from __future__ import annotations

from typing import Final

POLICY_TITLE: Final = "The Faye player policy"
POLICY_POINTS: Final = (
    "Faye is a game: Esprits, faylen, virelite and gems have no value outside it and cannot be sold for money.",
    "Summon odds are published, every tier and pity rule included, and the same for every player.",
    "We store your user id, your name as shown, and your game data; an administrator can delete it on request.",
    "One account per person. Automating play, exploiting bugs or trading outside the auction house can get an "
    "account reset.",
    "Be kind to other players.",
)
