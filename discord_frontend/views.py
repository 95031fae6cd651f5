"""Confirmations: one action behind a button, for the invoker only, acted on once, and only while it is fresh.

`ConfirmView` / `PolicyView` stay in memory with a timeout (`TIMEOUT`): a confirmation is a decision about *now*,
not something to act on a day later. The first press claims the view *before* any await (so a double click cannot
act twice), greys the buttons out in its acknowledgement, then calls the service; on timeout the buttons are
greyed out. Their custom_ids carry the process's `BOOT` token, so one pressed after a restart reaches
`StaleConfirmation`, which answers "expired, run the command again" instead of leaving Discord's "This interaction
failed". (Pagers, which outlive a restart, are in `pagers`.)
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Awaitable, Callable, Sequence
from contextlib import suppress
from typing import TYPE_CHECKING, Any, Final, Self

import discord

from discord_frontend import embeds
from discord_frontend.replies import Reply, refuse, update
from discord_frontend.tree import pin_rules, report

if TYPE_CHECKING:
    from discord_frontend.bot import FayeInteraction
    from discord_frontend.replies import Message

#: Seconds without a press before a confirmation greys itself out (read at creation).
TIMEOUT: Final = 180.0
#: This process's token in confirmation custom_ids: one with another token was made before a restart.
BOOT: Final = secrets.token_hex(4)

Action = Callable[[], Awaitable[Reply]]


class OwnedView(discord.ui.View):
    """A view for one player: the one who ran the command."""

    def __init__(self, owner_id: int) -> None:
        super().__init__(timeout=TIMEOUT)
        self.owner_id = owner_id
        self.message: Message | None = None
        """The message carrying the view, edited on timeout; set by whoever sends it."""
        self.acted = False

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        pin_rules(interaction)
        if interaction.user.id == self.owner_id:
            return True
        await refuse(interaction, embeds.not_yours())
        return False

    def disable(self, items: Sequence[discord.ui.Item[Any]] = ()) -> None:
        """Grey out `items` (default: every component)."""
        for item in items or self.children:
            if isinstance(item, discord.ui.Button | discord.ui.Select):
                item.disabled = True

    async def claim(self, interaction: FayeInteraction, *items: discord.ui.Item[Any]) -> bool:
        """The view's one action: True for the first press, which disables `items` (default: all) in its
        acknowledgement; a later press gets an ephemeral "already done". Check and claim happen with no await
        in between, so of two presses racing on the event loop exactly one wins."""
        if self.acted:
            await refuse(interaction, embeds.already_done())
            return False
        self.acted = True
        self.disable(items)
        await interaction.response.edit_message(view=self)
        return True

    async def on_timeout(self) -> None:
        self.disable()
        if self.message is not None:
            with suppress(discord.HTTPException):  # deleted, or the interaction token (15 min) ran out
                await self.message.edit(view=self)

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any], /
    ) -> None:
        await report(interaction, error)


class ConfirmView(OwnedView):
    """Confirm or cancel one action; the message then shows its outcome and loses its buttons."""

    def __init__(
        self,
        owner_id: int,
        action: Action,
        *,
        confirm_label: str = "Confirm",
        cancel_label: str = "Cancel",
        danger: bool = False,
        cancelled: discord.Embed | None = None,
    ) -> None:
        super().__init__(owner_id)
        self.action = action
        token = secrets.token_hex(8)
        self.confirm.label = confirm_label
        self.confirm.style = discord.ButtonStyle.danger if danger else discord.ButtonStyle.success
        self.confirm.custom_id = f"faye:once:{BOOT}:{token}:yes"
        self.cancel.label = cancel_label
        self.cancel.custom_id = f"faye:once:{BOOT}:{token}:no"
        self.cancelled = cancelled or embeds.cancelled()

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.success)
    async def confirm(self, interaction: FayeInteraction, button: discord.ui.Button[Self]) -> None:
        if not await self.claim(interaction):
            return
        try:
            reply = await self.action()
        finally:
            self.stop()
        await update(interaction, reply, view=None)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: FayeInteraction, button: discord.ui.Button[Self]) -> None:
        if not await self.claim(interaction):
            return
        self.stop()
        await update(interaction, Reply(self.cancelled), view=None)


class PolicyView(ConfirmView):
    """The player policy's Accept and Decline: accepting registers the player."""

    def __init__(self, owner_id: int, accept: Action) -> None:
        super().__init__(owner_id, accept, confirm_label="Accept", cancel_label="Decline", cancelled=embeds.declined())


class StaleConfirmation(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"faye:once(?::(?P<boot>[^:]*)(?s:.*))?"
):
    """A confirmation's button pressed after the process that showed it has gone: "expired, run it again".

    The buttons of this process's own confirmations match too; those are left to their live view (or, once it
    has acted or timed out, to nobody, as their message no longer shows them)."""

    def __init__(self, item: discord.ui.Button[Any], *, stale: bool) -> None:
        super().__init__(item)
        self.stale = stale

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        assert isinstance(item, discord.ui.Button)
        return cls(item, stale=match["boot"] != BOOT)

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        return self.stale

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await refuse(interaction, embeds.expired())
