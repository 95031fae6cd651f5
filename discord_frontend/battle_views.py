"""A battle's message: its result, then its log a round a page, paged with Prev and Next by the invoker only.

A battle is not stored (its report exists only in the answer to the command), so unlike the pagers of `pagers`
this one cannot outlive the process: it is an `OwnedView` (only the invoker may press; after `views.TIMEOUT`
without a press the buttons grey out) holding the report. Its buttons' custom_ids carry the process's
`views.BOOT` token in the `faye:once:` form, so a press after a restart reaches `StaleConfirmation` and is
answered "expired, run the command again" rather than leaving Discord's "This interaction failed". Every page
shows the image of both teams, so the log is always read next to who fought.
"""

from __future__ import annotations

import asyncio
import secrets
from typing import TYPE_CHECKING, Self

import discord

from discord_frontend import battle_embeds, replies
from discord_frontend.replies import Reply
from discord_frontend.views import BOOT, OwnedView
from faye.render import render_battle

if TYPE_CHECKING:
    from discord_frontend.bot import FayeInteraction
    from faye.config import GameConfig
    from faye.results import BattleReport


class BattleLog(OwnedView):
    """Page 0 is the result; page r (1 to the last round) is round r of the log."""

    def __init__(self, owner_id: int, report: BattleReport, config: GameConfig, png: bytes) -> None:
        super().__init__(owner_id)
        self.report = report
        self.config = config
        self.png = png
        self.rounds = battle_embeds.by_round(report.log)
        self.page = 0
        token = secrets.token_hex(8)
        self.prev.custom_id = f"faye:once:{BOOT}:{token}:prev"
        self.where.custom_id = f"faye:once:{BOOT}:{token}:at"
        self.next.custom_id = f"faye:once:{BOOT}:{token}:next"
        self._label()

    @property
    def pages(self) -> int:
        return 1 + len(self.rounds)

    def reply(self) -> Reply:
        """The current page, with the battle's image."""
        if self.page == 0:
            embed = battle_embeds.battle(self.report, self.config, self.pages)
        else:
            embed = battle_embeds.round_page(self.report, self.page, self.rounds[self.page - 1], self.pages)
        return Reply.illustrated(embed, battle_embeds.IMAGE, self.png)

    def _label(self) -> None:
        self.prev.disabled = self.page <= 0
        self.next.disabled = self.page >= self.pages - 1
        self.where.label = "Result" if self.page == 0 else f"Round {self.page}/{len(self.rounds)}"

    async def _turn(self, interaction: FayeInteraction, step: int) -> None:
        self.page = max(0, min(self.pages - 1, self.page + step))
        self._label()
        await replies.update(interaction, self.reply(), view=self)

    @discord.ui.button(label="Prev", emoji="◀", style=discord.ButtonStyle.secondary)
    async def prev(self, interaction: FayeInteraction, button: discord.ui.Button[Self]) -> None:
        await self._turn(interaction, -1)

    @discord.ui.button(label="Result", style=discord.ButtonStyle.secondary, disabled=True)
    async def where(self, interaction: FayeInteraction, button: discord.ui.Button[Self]) -> None:
        """Never enabled: it shows where the pager stands."""

    @discord.ui.button(label="Next", emoji="▶", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: FayeInteraction, button: discord.ui.Button[Self]) -> None:
        await self._turn(interaction, 1)


async def show(interaction: FayeInteraction, report: BattleReport, config: GameConfig) -> None:
    """Answer a battle command: the result page with the image of both teams, and the log's buttons (none for
    a battle nobody acted in). Drawing runs off the event loop."""
    png = await asyncio.to_thread(render_battle, report, config)
    log = BattleLog(interaction.user.id, report, config, png)
    if log.pages == 1:
        await replies.send(interaction, log.reply())
        return
    log.message = await replies.send(interaction, log.reply(), view=log)
