"""The embeds of banners: the open banners with one's poster, a player's pull history, their luck, and the
per-Esprit odds of a banner.

Kept apart from embeds.py (one module per feature's wording) and built from its blocks (`safe`, `rarity_label`,
`clip`, `percent`), so banners read like the rest of the bot. Banner and Esprit names are designer text and
shown through `safe`; a countdown is Discord's own relative timestamp, which every client keeps ticking.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

import discord
from discord.utils import format_dt

from discord_frontend.embeds import (
    BRAND,
    DESCRIPTION_LIMIT,
    FEATURED_MARK,
    FIELD_LIMIT,
    clip,
    percent,
    rarity_colour,
    rarity_label,
    rates,
    safe,
)
from faye.display import CURRENCY_ICONS, plural
from faye.text import printable

if TYPE_CHECKING:
    from faye.config import GameConfig
    from faye.gacha.exact import Disclosure, EspritOdds
    from faye.results import BannerList, BannerView, Cost, LuckReport, PullEntry, PullHistory, TierLuck

#: Hits listed per tier in /luck: the latest ones (the field's limit would cut more anyway).
HITS_SHOWN: Final = 5
CONSISTENT_MARK: Final = "✓"
OUTSIDE_MARK: Final = "⚠"


def banner_name(config: GameConfig, banner_id: str) -> str:
    """The banner's name from the game data (a banner that left banners.json shows its id), escaped."""
    banner = config.banners_by_id.get(banner_id)
    return safe(banner.name if banner is not None else banner_id)


def featured_tag(featured: bool) -> str:
    return f" {FEATURED_MARK} featured" if featured else ""


def countdown(view: BannerView) -> str:
    """'ends <t:…:R>' (Discord counts it down live), or 'always open'."""
    return "always open" if view.end is None else f"ends {format_dt(view.end, 'R')}"


def cost_text(cost: Cost) -> str:
    return f"{CURRENCY_ICONS.get(cost.currency, '')} {cost.amount:,} {cost.currency}"


def featured_names(config: GameConfig, view: BannerView) -> list[str]:
    """'🟨 Legendary: **Solheart Phoenix**', one line per featured tier, rarest first."""
    by_tier: dict[str, list[str]] = {}
    for esprit in view.featured:
        by_tier.setdefault(esprit.tier, []).append(f"**{safe(esprit.name)}**")
    tiers = sorted(by_tier, key=lambda tier: -config.tier_rank.get(tier, -1))
    return [f"{rarity_label(config, tier)}: {', '.join(by_tier[tier])}" for tier in tiers]


def banner_line(config: GameConfig, view: BannerView) -> str:
    """One banner in the list: its name, kind and countdown, then its featured Esprits."""
    head = f"**{safe(view.name)}** · {safe(view.kind)} · {countdown(view)}"
    featured = featured_names(config, view)
    return "\n".join([head, *(f"{FEATURED_MARK} {line}" for line in featured)])


def featured_rule(config: GameConfig, view: BannerView) -> str:
    """How a featured tier's pull goes: the share, and whether a miss guarantees the next one."""
    lines = []
    for tier, share in sorted(view.featured_share.items(), key=lambda item: -config.tier_rank.get(item[0], -1)):
        guarantee = " · a miss makes your next one featured" if view.guarantee.get(tier) else ""
        lines.append(f"{rarity_label(config, tier)}: {percent(share)} featured{guarantee}")
    return "\n".join(lines)


def standing_text(config: GameConfig, view: BannerView) -> str | None:
    """The player's pity on the banner's group, and the tiers whose next pull is guaranteed featured."""
    standing = view.standing
    if standing is None:
        return None
    counters = [
        f"{rarity_label(config, tier)} {pulls}/{standing.hard_pity.get(tier, '?')}"
        for tier, pulls in sorted(standing.pity.items(), key=lambda item: -config.tier_rank.get(item[0], -1))
    ]
    text = " · ".join(counters) or "no pity tiers"
    if standing.guaranteed:
        guaranteed = ", ".join(rarity_label(config, tier) for tier in standing.guaranteed)
        text += f"\nNext featured guaranteed: {guaranteed}"
    return text


def banners(listing: BannerList, shown: BannerView, config: GameConfig) -> discord.Embed:
    """Every open banner in a line or three, and `shown` in detail (its poster is the embed's image)."""
    top = max((config.tier_rank.get(e.tier, -1), e.tier) for e in shown.featured)[1] if shown.featured else None
    embed = discord.Embed(
        title="Open banners",
        colour=rarity_colour(config, top) if top else BRAND,
        description=clip([banner_line(config, view) for view in listing.banners], DESCRIPTION_LIMIT),
    )
    embed.add_field(name=f"Shown: {safe(shown.name)}", value=countdown(shown), inline=False)
    rule = featured_rule(config, shown)
    if rule:
        embed.add_field(name="Featured odds", value=clip(rule.split("\n"), FIELD_LIMIT), inline=False)
    embed.add_field(name="Cost", value=f"1× {cost_text(shown.single_cost)} · 10× {cost_text(shown.ten_cost)}")
    standing = standing_text(config, shown)
    if standing is not None:
        embed.add_field(name=f"Your pity ({safe(shown.pity_group)})", value=standing, inline=False)
    embed.set_footer(text=printable(f"/summon banner:{shown.banner_id} · /rates banner:{shown.banner_id}"))
    return embed


def banner_choice(view: BannerView) -> str:
    """An autocomplete entry: 'Ember Rising I · limited · ends 2026-01-29'."""
    ends = "always open" if view.end is None else f"ends {view.end:%Y-%m-%d %H:%M} UTC"
    return printable(f"{view.name} · {view.kind} · {ends}")[:100]


# --- pull history ---------------------------------------------------------------------------------------


def pull_entry(config: GameConfig, entry: PullEntry) -> str:
    """'`  12.` 🟨 Legendary **Solheart Phoenix** ✨ featured · after 73 · Ember Rising I · <t:…:d>'."""
    since = entry.pity_before.get(entry.tier)
    after = f" · after {since + 1}" if since is not None else ""
    return (
        f"`{entry.n:>5}.` {rarity_label(config, entry.tier)} **{safe(entry.name)}**{featured_tag(entry.featured)}"
        f"{after} · {banner_name(config, entry.banner)} · {format_dt(entry.at, 'd')}"
    )


def history(found: PullHistory, config: GameConfig) -> discord.Embed:
    scope = [banner_name(config, found.banner)] if found.banner else []
    scope += [rarity_label(config, found.tier)] if found.tier else []
    embed = discord.Embed(title="Your pulls" + (f" · {' · '.join(scope)}" if scope else ""), colour=BRAND)
    if found.total == 0:
        embed.description = "No pulls on record yet. Try /summon."
    else:
        embed.description = clip([pull_entry(config, e) for e in found.pulls], DESCRIPTION_LIMIT)
    embed.set_footer(text=f"Page {found.page} of {found.pages} · {plural(found.total, 'pull')}, newest first")
    return embed


# --- luck -----------------------------------------------------------------------------------------------


def tier_luck(config: GameConfig, luck: TierLuck) -> str:
    low, high = luck.interval
    verdict = (
        f"{CONSISTENT_MARK} the published rate is inside it"
        if luck.consistent
        else f"{OUTSIDE_MARK} the published rate is outside it"
    )
    lines = [
        f"Your rate **{percent(luck.rate)}** ({luck.count:,} of {luck.pulls:,}) · 95 % interval "
        f"{percent(low)}–{percent(high)} · published {percent(luck.published_rate)}: {verdict}",
        f"On average one every {luck.mean_pulls:.2f} pulls",
    ]
    for hit in luck.hits[-HITS_SHOWN:]:
        lines.append(
            f"`{hit.n:>5}.` **{safe(hit.name)}** after {plural(hit.pulls, 'pull')}: "
            f"later than {round(hit.sooner * 100)} % of players"
        )
    return clip(lines, FIELD_LIMIT)


def luck(report: LuckReport, config: GameConfig) -> discord.Embed:
    scope = banner_name(config, report.banner) if report.banner else "every banner"
    embed = discord.Embed(
        title=f"Your luck · {scope}",
        colour=BRAND,
        description=(
            f"{plural(report.pulls, 'pull')} on record. Each hit: the pulls it took, and the share of players "
            "who needed fewer (exact odds, pity included)."
        ),
    )
    for tier in sorted(report.tiers, key=lambda t: -config.tier_rank.get(t.tier, -1)):
        embed.add_field(
            name=f"{rarity_label(config, tier.tier)} or higher", value=tier_luck(config, tier), inline=False
        )
    if report.featured_share is not None:
        embed.add_field(
            name=f"{FEATURED_MARK} Featured",
            value=(
                f"{report.featured_hits:,} of {report.featured_chances:,} pulls of featured tiers were featured; "
                f"in the long run {percent(report.featured_share)}"
            ),
            inline=False,
        )
    return embed


# --- per-Esprit odds ------------------------------------------------------------------------------------


def odds_summary(disclosure: Disclosure, config: GameConfig, banner_id: str) -> discord.Embed:
    """Page 1 of /rates banner: the tier table, titled with the banner."""
    embed = rates(disclosure, config)
    embed.title = f"Summon odds · {banner_name(config, banner_id)}"
    return embed


def odds_page(rows: Sequence[EspritOdds], config: GameConfig, banner_id: str, page: int, pages: int) -> discord.Embed:
    """Per Esprit, its long-run rate: the chance any one pull on the banner is it."""
    lines = [
        f"{rarity_label(config, odds.tier)} **{safe(odds.name)}**{featured_tag(odds.featured)} — {percent(odds.rate)}"
        for odds in rows
    ]
    embed = discord.Embed(
        title=f"Each Esprit's odds · {banner_name(config, banner_id)}",
        colour=BRAND,
        description=clip(lines, DESCRIPTION_LIMIT),
    )
    embed.set_footer(text=f"Page {page} of {pages} · the long-run share of all pulls on this banner, pity included")
    return embed
