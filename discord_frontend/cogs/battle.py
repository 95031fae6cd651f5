"""/battle trial|trials|duel|standing and /battle team set: trials against the game's teams, duels against
other players' saved defence teams, and the standing both build.

A battle answers publicly with its result and an image of both teams (`battle_views.show`), the log a round a
page behind Prev and Next for the invoker. Nothing is ever staked: a trial may pay, a duel moves ratings. A team
is typed as Esprit ids ("12, 15 18", parsed like /release's `ids:`); the service judges it (how many, whose, in
escrow or a trade) and every refusal travels to `tree.report` as an ephemeral reply.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import discord
from discord import app_commands
from discord.ext import commands

from discord_frontend import battle_embeds, battle_views, replies
from discord_frontend.cogs import FayeCog, player_id
from discord_frontend.inputs import EspritIds
from discord_frontend.replies import Reply
from faye.errors import FayeError
from faye.text import printable

if TYPE_CHECKING:
    from discord_frontend.bot import FayeBot, FayeInteraction

#: The highest stage a client offers; the service refuses a stage the ladder lacks (`not_found`).
MAX_STAGE: Final = 1_000
StageNumber = app_commands.Range[int, 1, MAX_STAGE]
TEAM_HELP: Final = "1 to 3 of your Esprit ids, e.g. 12, 15, 18 (default: your active Esprit)"
DUEL_TEAM_HELP: Final = "1 to 3 of your Esprit ids, e.g. 12, 15 (default: your defence team, else your active Esprit)"


async def stages(interaction: FayeInteraction, current: str) -> list[app_commands.Choice[int]]:
    """Autocomplete: the stages the player may fight now (cleared ones and the next), newest first; every stage
    for someone not registered yet."""
    app = interaction.client.app
    try:
        ladder = (await app.battles.trials(player_id(interaction))).stages
        shown = [(s.stage, s.name, "✓" if s.cleared else "▶") for s in ladder if s.open]
    except FayeError:
        shown = [(s.stage, s.name, "") for s in app.config.battle.trials.stages]
    choices = [
        app_commands.Choice(name=printable(f"{mark} {number} · {name}".strip())[:100], value=number)
        for number, name, mark in reversed(shown)
        if current in str(number) or current.casefold() in name.casefold()
    ]
    return choices[:25]


class Battle(
    FayeCog,
    commands.GroupCog,
    group_name="battle",
    group_description="Battle: climb the trials and duel other players' defence teams. Nothing is staked.",
):
    team = app_commands.Group(name="team", description="Your defence team: the Esprits other players duel.")

    @app_commands.command(description="Fight a trial stage: the next one pays its first clear, cleared ones replay.")
    @app_commands.describe(stage="The stage to fight (see /battle trials)", team=TEAM_HELP)
    @app_commands.autocomplete(stage=stages)
    async def trial(self, interaction: FayeInteraction, stage: StageNumber, team: EspritIds | None = None) -> None:
        await replies.defer(interaction)
        report = await self.app.battles.trial(player_id(interaction), stage, team)
        await battle_views.show(interaction, report, self.config)

    @app_commands.command(description="The trial ladder: each stage's enemies and rewards, and your progress.")
    async def trials(self, interaction: FayeInteraction) -> None:
        ladder = await self.app.battles.trials(player_id(interaction))
        await replies.send(interaction, Reply(battle_embeds.trials(ladder, self.config)))

    @app_commands.command(description="Duel another player's defence team: both ratings move, nothing is staked.")
    @app_commands.describe(user="The player to challenge", team=DUEL_TEAM_HELP)
    async def duel(self, interaction: FayeInteraction, user: discord.User, team: EspritIds | None = None) -> None:
        await replies.defer(interaction)
        report = await self.app.battles.duel(player_id(interaction), str(user.id), team)
        await battle_views.show(interaction, report, self.config)

    @app_commands.command(description="Rating, record, attempts left today and defence team: yours or a player's.")
    @app_commands.describe(user="Whose standing (default: yours)")
    async def standing(self, interaction: FayeInteraction, user: discord.User | None = None) -> None:
        found = await self.app.battles.standing(str(user.id) if user is not None else player_id(interaction))
        await replies.send(interaction, Reply(battle_embeds.standing(found, self.config)))

    @team.command(name="set", description="Save the defence team other players duel (1 to 3 of your Esprits).")
    @app_commands.describe(team="1 to 3 of your Esprit ids, e.g. 12, 15, 18")
    async def team_set(self, interaction: FayeInteraction, team: EspritIds) -> None:
        saved = await self.app.battles.set_team(player_id(interaction), team)
        await replies.send(interaction, Reply(battle_embeds.team_saved(saved, self.config)))


async def setup(bot: FayeBot) -> None:
    await bot.add_cog(Battle(bot))
