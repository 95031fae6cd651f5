"""/release, /lock and /unlock: an Esprit's end, and the favourites kept from it.

Releasing cannot be undone, so /release shows first exactly what would go and what it pays (the service's
preview), and acts only on the invoker's Confirm, once, on exactly the previewed ids (`ReleaseSelection(ids=…)`):
what happens is what was shown, or a refusal if the collection changed in between.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from discord import app_commands

from discord_frontend import embeds, replies
from discord_frontend.cogs import FayeCog, own_esprits, player_id, rarities
from discord_frontend.inputs import EspritId, EspritIds, Keep, Level
from discord_frontend.replies import Reply
from discord_frontend.views import ConfirmView
from faye.services.progression import ReleaseSelection

if TYPE_CHECKING:
    from discord_frontend.bot import FayeBot, FayeInteraction


class Progression(FayeCog):
    @app_commands.command(description="Turn Esprits back into faylen and virelite (you see and confirm them first).")
    @app_commands.describe(
        ids="Esprit ids, e.g. 12, 15, 18 (or use the filters instead)",
        rarity="Only this rarity",
        duplicates="Only duplicates: keep the best of each species",
        keep="With duplicates: how many of each species to keep",
        below_level="Only Esprits below this level",
    )
    @app_commands.autocomplete(rarity=rarities)
    async def release(
        self,
        interaction: FayeInteraction,
        ids: EspritIds | None = None,
        rarity: str | None = None,
        duplicates: bool = False,
        keep: Keep = 1,
        below_level: Level | None = None,
    ) -> None:
        user = player_id(interaction)
        selection = ReleaseSelection(
            ids=ids or (), rarity=rarity, duplicates=duplicates, keep=keep, below_level=below_level
        )
        preview = await self.app.progression.release_preview(user, selection)
        exactly = ReleaseSelection(ids=tuple(preview.ids))

        async def release() -> Reply:
            return Reply(embeds.release(await self.app.progression.release(user, exactly), self.config))

        view = ConfirmView(interaction.user.id, release, confirm_label="Release", danger=True)
        view.message = await replies.send(interaction, Reply(embeds.release(preview, self.config)), view=view)

    @app_commands.command(description="Lock an Esprit: it cannot be released, consumed or listed until unlocked.")
    @app_commands.describe(esprit="Start typing its name")
    @app_commands.autocomplete(esprit=own_esprits)
    async def lock(self, interaction: FayeInteraction, esprit: EspritId) -> None:
        locked = await self.app.progression.lock(player_id(interaction), esprit, locked=True)
        await replies.send(interaction, Reply(embeds.locked(locked, self.config)))

    @app_commands.command(description="Unlock an Esprit, so that it may be released, consumed or listed again.")
    @app_commands.describe(esprit="Start typing its name")
    @app_commands.autocomplete(esprit=own_esprits)
    async def unlock(self, interaction: FayeInteraction, esprit: EspritId) -> None:
        unlocked = await self.app.progression.lock(player_id(interaction), esprit, locked=False)
        await replies.send(interaction, Reply(embeds.locked(unlocked, self.config)))


async def setup(bot: FayeBot) -> None:
    await bot.add_cog(Progression(bot))
