"""The command tree, and the one place where errors become messages.

Every refusal of the game is a `FayeError` with a stable `code` and a `kind`; `report` turns it into a friendly
ephemeral embed (wording by code in embeds.REFUSALS, colour by kind), whether it came from a slash command
(`FayeTree.on_error`) or a button or select (`views.OwnedView.on_error`). The game being unavailable (database
down or busy, schema at another version) is also logged for the operator, since no player can fix it. Anything
else is a bug: it is logged with a short incident id, and the player sees only that id, to quote.

Here too every failure is counted (faye.metrics): refusals by code, bugs by source, and how each command ended,
with its latency from `FayeTree.interaction_check` to `record` (FayeBot records the commands that succeeded).
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any, Final

import discord
from discord import app_commands

from discord_frontend import embeds, replies
from faye.errors import ErrorKind, FayeError
from faye.limits import ALL_COMMANDS
from faye.metrics import ERROR, OUT_OF_DATE, Metrics

log = logging.getLogger(__name__)

STARTED: Final = "faye_started"
"""`interaction.extras` key: when the tree began handling the command (time.perf_counter)."""


class Refused(app_commands.CheckFailure):
    """A FayeError raised by a check: discord.py lets checks fail only with an AppCommandError."""

    def __init__(self, error: FayeError) -> None:
        super().__init__(error.message)
        self.error = error


def describe(interaction: discord.Interaction[Any]) -> str:
    """'/auction buy' or 'button summon:next', for the log."""
    if interaction.command is not None:
        return f"/{interaction.command.qualified_name}"
    return f"component {interaction.data.get('custom_id') if interaction.data else None}"


def source(interaction: discord.Interaction[Any]) -> str:
    """A bounded metrics label: '/auction buy', or a component's kind ('faye:inv', its custom_id without the
    state that follows); 'other' for anything else."""
    if interaction.command is not None:
        return f"/{interaction.command.qualified_name}"
    custom_id = str(interaction.data.get("custom_id", "")) if interaction.data else ""
    return ":".join(custom_id.split(":", 2)[:2]) if custom_id.startswith("faye:") else "other"


def context(interaction: discord.Interaction[Any]) -> dict[str, str]:
    """The log record's context fields (faye.logs) for an interaction."""
    return {"interaction": str(interaction.id), "command": describe(interaction), "user": str(interaction.user.id)}


def metrics_of(interaction: discord.Interaction[Any]) -> Metrics | None:
    """The bot's metrics (FayeBot.metrics); None for a client that keeps none."""
    found = getattr(interaction.client, "metrics", None)
    return found if isinstance(found, Metrics) else None


def record(interaction: discord.Interaction[Any], outcome: str) -> None:
    """Count how an interaction ended: a command with its latency; a component only when it failed (every press is
    counted as it arrives, in FayeBot.on_interaction)."""
    metrics = metrics_of(interaction)
    if metrics is None:
        return
    if interaction.command is None:
        metrics.observe_press_failure(source(interaction), outcome)
        return
    started = interaction.extras.get(STARTED)
    metrics.observe_command(source(interaction), outcome, None if started is None else time.perf_counter() - started)


async def report(interaction: discord.Interaction[Any], error: Exception) -> None:
    """Answer a failed interaction with an ephemeral embed: the refusal, or an incident id for a bug."""
    original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
    if isinstance(original, Refused):
        original = original.error
    metrics = metrics_of(interaction)
    if isinstance(original, FayeError):
        if original.kind is ErrorKind.UNAVAILABLE:
            log.warning(
                "%s: the game is unavailable (%s): %s",
                describe(interaction),
                original.code,
                original.message,
                extra=context(interaction),
            )
        embed, outcome = embeds.refusal(original), original.kind.value
        if metrics is not None:
            metrics.observe_refusal(original)
    elif isinstance(original, app_commands.TransformerError):
        embed = embeds.bad_input(f"{original.value!r} is not a valid {original.type.name}.")
        outcome = ErrorKind.BAD_INPUT.value
    elif isinstance(original, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch):
        embed, outcome = embeds.out_of_date(), OUT_OF_DATE
    else:
        incident = uuid.uuid4().hex[:8]
        log.error(
            "incident %s: %s by user %s failed",
            incident,
            describe(interaction),
            interaction.user.id,
            exc_info=original,
            extra={**context(interaction), "incident": incident},
        )
        embed, outcome = embeds.incident(incident), ERROR
        if metrics is not None:
            metrics.observe_internal_error(source(interaction))
    record(interaction, outcome)
    try:
        await replies.refuse(interaction, embed)
    except discord.HTTPException:  # the interaction expired or Discord is unreachable: nobody to tell
        log.warning("could not report an error for %s", describe(interaction), exc_info=True)


def pin_rules(interaction: discord.Interaction[Any]) -> None:
    """The interaction runs to its end on the game data in force as it starts, whatever a reload swaps in
    meanwhile (faye.services.context.LiveRules: the pin holds for the interaction's own asyncio task)."""
    interaction.client.app.context.rules.pin()


class FayeTree(app_commands.CommandTree[Any]):
    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        """Every command and autocomplete passes here first: the start of its latency, and of its rules."""
        interaction.extras[STARTED] = time.perf_counter()
        pin_rules(interaction)
        if interaction.type is not discord.InteractionType.application_command:
            return True
        try:  # the operator's limit on every command of a player (faye.limits), shared by every bot process
            await interaction.client.app.limits.take(str(interaction.user.id), ALL_COMMANDS)
        except FayeError as error:
            await report(interaction, Refused(error))
            return False
        return True

    async def on_error(self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError) -> None:
        await report(interaction, error)
