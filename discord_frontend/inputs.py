"""Integer and number options built from faye.inputs, so Discord and the CLI share one definition of each bound.

An option's range is registered with Discord (`min_value`/`max_value`, as `app_commands.Range` does), so a player's
client offers nothing outside it. A stale client or a hand-made payload can still send any integer up to 2**53,
and `Range` passes it through unchecked; `InRange` checks it again in the bot, and a value out of range is the
game's own refusal (InvalidArgument, InvalidAmount), answered by `tree.report` as an ephemeral "That doesn't
work" before the command runs.
"""

from __future__ import annotations

import re
from typing import Any, Final

import discord
from discord import AppCommandOptionType, app_commands

from discord_frontend.tree import Refused
from faye.errors import FayeError, InvalidArgument
from faye.inputs import (
    ESPRIT_ID,
    GRANT,
    KEEP,
    LEADERBOARD_LIMIT,
    LEVEL,
    LISTING_HOURS,
    LISTING_ID,
    PRICE,
    TRAIN_FAYLEN,
    TRAIN_LEVELS,
    Bound,
)

#: Places an embed lists: 25 lines of up to 100-character names stay inside Discord's 4,096-character description.
EMBED_PLACES = 25
#: Discord's longest string option.
STRING_LIMIT: Final = 6000
#: Separators between ids in a list option: commas and spaces ("12, 15 18").
ID_SEPARATORS: Final = re.compile(r"[\s,]+")


class InRange(app_commands.Transformer[Any]):
    """An integer (or number) option of one faye.inputs kind: its bounds registered with Discord, and checked."""

    def __init__(self, bound: Bound[int] | Bound[float]) -> None:
        self.bound = bound

    @property
    def type(self) -> AppCommandOptionType:
        return AppCommandOptionType.integer if self.bound.kind is int else AppCommandOptionType.number

    @property
    def min_value(self) -> int | float:
        return self.bound.min

    @property
    def max_value(self) -> int | float:
        return self.bound.max

    async def transform(self, interaction: discord.Interaction[Any], value: Any, /) -> Any:
        try:
            return self.bound.check(value)
        except FayeError as error:
            raise Refused(error) from error


EspritId = app_commands.Transform[int, InRange(ESPRIT_ID)]
ListingId = app_commands.Transform[int, InRange(LISTING_ID)]
Price = app_commands.Transform[int, InRange(PRICE)]
ListingHours = app_commands.Transform[float, InRange(LISTING_HOURS)]
GrantAmount = app_commands.Transform[int, InRange(GRANT)]
Places = app_commands.Transform[int, InRange(LEADERBOARD_LIMIT.narrowed(max=EMBED_PLACES))]


class IdList(app_commands.Transformer[Any]):
    """Esprit ids typed as one text option ("12, 15 #18"): each a decimal id within `ESPRIT_ID`, in the order
    typed. How many and whether one repeats is the service's to judge (ReleaseSelection.check)."""

    @property
    def type(self) -> AppCommandOptionType:
        return AppCommandOptionType.string

    @property
    def max_value(self) -> int:
        """For a string option, discord.py registers this as its `max_length`."""
        return STRING_LIMIT

    async def transform(self, interaction: discord.Interaction[Any], value: Any, /) -> tuple[int, ...]:
        ids = []
        for token in ID_SEPARATORS.split(str(value).strip()):
            digits = token.removeprefix("#")
            if not re.fullmatch(r"[0-9]{1,20}", digits):
                error = InvalidArgument(f"{token[:40]!r} is not an Esprit id; list ids like 12, 15, 18", field="ids")
                raise Refused(error)
            try:
                ids.append(ESPRIT_ID.check(int(digits), "ids"))
            except FayeError as error:
                raise Refused(error) from error
        return tuple(ids)


TrainLevels = app_commands.Transform[int, InRange(TRAIN_LEVELS)]
TrainFaylen = app_commands.Transform[int, InRange(TRAIN_FAYLEN)]
Keep = app_commands.Transform[int, InRange(KEEP)]
Level = app_commands.Transform[int, InRange(LEVEL)]
EspritIds = app_commands.Transform[tuple[int, ...], IdList()]
