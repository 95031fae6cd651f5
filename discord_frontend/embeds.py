"""Every embed the bot sends and every line of text in them, in one module so wording and colours stay alike.

Functions take service results (faye.results) and the game data (rarity colours and emoji from
rarity_visuals.json, stat icons from stat_icons.json) and return `discord.Embed`s; they never call a service.
Images are attached by `replies.Reply.illustrated`, which points the embed at the attachment.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Final

import discord
from discord.utils import escape_mentions, format_dt

from faye.clock import describe_wait
from faye.display import (
    CURRENCY_ICONS,
    UNKNOWN_RANK,
    best_rarity,
    medal,
    money,
    pity_counters,
    plural,
    rarest_pulls,
    standouts,
    stat_label,
    stat_value,
    wallet,
)
from faye.errors import ErrorKind
from faye.policy import POLICY_POINTS, POLICY_TITLE
from faye.text import printable

if TYPE_CHECKING:
    from faye.config import GameConfig
    from faye.errors import FayeError
    from faye.gacha.exact import Disclosure
    from faye.results import (
        Ascension,
        AscensionPlan,
        AuctionHistory,
        Cancellation,
        ConfigReloaded,
        DailyClaim,
        EspritDetail,
        EspritEventView,
        EspritHistory,
        Grant,
        InventoryPage,
        Leaderboard,
        LevelUp,
        Listing,
        ListingCreated,
        ListingPage,
        OwnedEsprit,
        PartnerGrowth,
        Profile,
        Purchase,
        Registration,
        Release,
        ReleasedEsprit,
        ResetReport,
        SummonedEsprit,
        SummonResult,
        Training,
    )

BRAND: Final = discord.Colour(0x7C5CFF)
SUCCESS: Final = discord.Colour(0x3BA55D)
REFUSED: Final = discord.Colour(0xF0A020)
FAILED: Final = discord.Colour(0xED4245)

#: Discord's limits: an embed description and a field value.
DESCRIPTION_LIMIT: Final = 4096
FIELD_LIMIT: Final = 1024
#: Discord's limit for an autocomplete choice's name.
CHOICE_LIMIT: Final = 100

#: Per FayeError code: the title, and a text replacing the service's message where Discord has its own advice (a
#: slash command to use) or the message shows internals (database URLs, schema revisions); None keeps the service's
#: message. The colour comes from the error's kind (KIND_COLOURS), never from its code.
REFUSALS: Final[dict[str, tuple[str, str | None]]] = {
    "not_registered": ("You haven't started yet", "Use /start to read the player policy and join Faye."),
    "already_registered": ("You're already playing", "Try /profile, /daily or /summon."),
    "policy_not_accepted": ("Policy not accepted", None),
    "insufficient_funds": ("Not enough funds", None),
    "cooldown_active": ("Not yet", None),
    "invalid_amount": ("Invalid amount", None),
    "invalid_argument": ("That doesn't work", None),
    "not_found": ("Not found", None),
    "not_owner": ("Not yours", None),
    "forbidden": ("Not allowed", None),
    "listing_unavailable": ("Listing unavailable", None),
    "own_listing": ("That's your own listing", None),
    "in_escrow": ("In the auction house", None),
    "price_out_of_range": ("Price out of range", None),
    "too_many_listings": ("Too many listings", None),
    "locked": ("Locked", None),
    "active_esprit": ("That's your active Esprit", None),
    "level_cap": ("At the cap", None),
    "wrong_species": ("Wrong species", None),
    "not_enough_copies": ("Not enough copies", None),
    "nothing_matched": ("Nothing matched", None),
    "trade_unavailable": ("Trade unavailable", None),
    "trade_changed": ("The trade changed", None),
    "too_soon": ("Not yet", None),
    "reserved": ("In a trade", None),
    "self_trade": ("That's you", None),
    "trade_limit": ("Trade limit", None),
    "banner_closed": (
        "Banner closed",
        "That banner is not open now, so nothing was spent. /banners shows the open ones.",
    ),
    "team_invalid": ("That team can't fight", None),
    "stage_locked": ("Stage locked", None),
    "attempts_exhausted": ("No attempts left today", None),
    "no_defence": (
        "No defence team",
        "That player has no defence team to duel yet; they save one with /battle team set.",
    ),
    "self_duel": ("That's you", "You cannot duel yourself; challenge another player with /battle duel user:."),
    "rate_limited": ("Slow down", None),
    "invalid_config": ("The game is misconfigured", "An operator needs to fix the game data; try again later."),
    "database_unavailable": ("The game is unavailable", "The database cannot be reached; try again in a moment."),
    "database_busy": ("The game is busy", "Nothing was changed; try again in a moment."),
    "schema_outdated": ("The game is being upgraded", "The database needs an upgrade by an operator; try later."),
    "schema_too_new": ("The game is being upgraded", "The bot is older than its database; an operator must update it."),
}
#: A refusal's colour by what it means (faye.errors.ErrorKind): amber the game said no, yellow the request was
#: wrong, grey the game cannot serve right now (nobody's fault; try later).
KIND_COLOURS: Final[dict[ErrorKind, discord.Colour]] = {
    ErrorKind.REFUSED: REFUSED,
    ErrorKind.BAD_INPUT: discord.Colour(0xFEE75C),
    ErrorKind.UNAVAILABLE: discord.Colour(0x99AAB5),
}
ACTIVE_MARK: Final = "◆"
LOCK_MARK: Final = "🔒"
#: An ascension rank's marks, reached and not yet: distinct from the rarity's emoji.
RANK_MARK: Final = "✪"
RANK_OPEN: Final = "○"
#: A pull the banner featured (and the featured Esprits of a banner).
FEATURED_MARK: Final = "✨"
#: Every character Discord's markdown gives a meaning to: emphasis, code, spoilers, quotes, headings, lists,
#: masked links, mentions, channels, emoji, timestamps and autolinks (`https:`). A backslash makes each literal.
MARKDOWN: Final = re.compile(r"[\\*_~`|>#\-\[\]()<:]")


# --- building blocks ------------------------------------------------------------------------------------


def rarity_colour(config: GameConfig, rarity: str) -> discord.Colour:
    visual = config.visuals.get(rarity)
    return discord.Colour.from_str(visual.color) if visual is not None else BRAND


def safe(text: str) -> str:
    """Player- or designer-supplied text as it must read in an embed's title, description or field: literally.

    Every markdown character is escaped (a name `[Free Nitro](https://…)` is no masked link, `**` no bold),
    mentions are broken with a zero-width space (`@everyone` pings nobody even in plain text), controls become
    U+FFFD. discord.utils.escape_markdown alone is not enough: it escapes only the first of two masked links.
    Footers, autocomplete choices and button labels show no markdown: they take `printable` text instead.
    """
    return escape_mentions(MARKDOWN.sub(r"\\\g<0>", printable(text)))


def rarity_label(config: GameConfig, rarity: str) -> str:
    visual = config.visuals.get(rarity)
    return safe(f"{visual.emoji} {rarity}" if visual is not None else rarity)


def player_ref(user_id: str) -> str:
    """A mention for a Discord player (it shows their name and never pings inside an embed); a terminal
    player's id as literal text."""
    return f"<@{user_id}>" if user_id.isascii() and user_id.isdigit() else safe(user_id)


def sentence(text: str) -> str:
    """Service messages start in lower case (they read well after '✗' in a terminal)."""
    return text[:1].upper() + text[1:]


def clip(lines: Sequence[str], limit: int) -> str:
    """Join lines, dropping the last ones (with a count) so the text fits Discord's `limit`."""
    for keep in range(len(lines), 0, -1):
        more = f"\n… and {len(lines) - keep} more" if keep < len(lines) else ""
        text = "\n".join(lines[:keep]) + more
        if len(text) <= limit:
            return text
    return f"… {len(lines)} more"[:limit]


def xp_bar(done: int, total: int, width: int = 12) -> str:
    filled = min(width, round(width * done / total)) if total else width
    return "▰" * filled + "▱" * (width - filled)


def add_level_ups(embed: discord.Embed, level_ups: Sequence[LevelUp]) -> None:
    for up in level_ups:
        embed.add_field(name=f"⬆ Level {up.level}!", value=f"Reward: {money(up.rewards)}", inline=False)


def add_partner(embed: discord.Embed, partner: PartnerGrowth | None) -> None:
    """The active Esprit's share of the XP just earned, in one line."""
    if partner is None:
        return
    grew = f" · ⬆ level {partner.level}" if partner.levels_gained else ""
    embed.add_field(
        name="Partner",
        value=f"{ACTIVE_MARK} **{safe(partner.name)}** +{partner.xp_gained:,} XP{grew}",
        inline=False,
    )


def rank_marks(rank: int, max_rank: int) -> str:
    """'✪✪○○○ rank 2/5': the ascension rank, never confused with the rarity."""
    return f"{RANK_MARK * rank}{RANK_OPEN * max(0, max_rank - rank)} rank {rank}/{max_rank}"


def level_line(esprit: OwnedEsprit) -> str:
    """'Lv 12/30 · ▰▰▱▱ 40 / 120 XP', or 'at the cap' when training can take it no further."""
    if esprit.xp_to_next is None:
        return f"Lv {esprit.level}/{esprit.level_cap} · at the cap"
    bar = xp_bar(esprit.xp, esprit.xp_to_next)
    return f"Lv {esprit.level}/{esprit.level_cap} · {bar} {esprit.xp:,} / {esprit.xp_to_next:,} XP"


def owned_line(config: GameConfig, esprit: OwnedEsprit) -> str:
    mark = (f"{ACTIVE_MARK} " if esprit.active else "") + (f"{LOCK_MARK} " if esprit.locked else "")
    rank = f" {RANK_MARK}{esprit.ascension}" if esprit.ascension else ""
    return (
        f"`#{esprit.id}` {mark}{rarity_label(config, esprit.rarity)} **{safe(esprit.name)}**{rank} · "
        f"Lv {esprit.level}/{esprit.level_cap} · "
        f"{esprit.hp}/{esprit.max_hp} HP · {safe(esprit.element)} {safe(esprit.role)}"
    )


def listing_line(config: GameConfig, listing: Listing) -> str:
    esprit = listing.esprit
    closes = f"closes {format_dt(listing.expires_at, 'R')}" if listing.status == "open" else listing.status
    return (
        f"`#{listing.id}` {rarity_label(config, esprit.rarity)} **{safe(esprit.name)}** Lv {esprit.level} — "
        f"{CURRENCY_ICONS['faylen']} {listing.price:,} · {player_ref(listing.seller_id)} · {closes}"
    )


def percent(rate: float) -> str:
    """Five significant digits: '0.6 %', '1.6052 %', '55 %'."""
    return f"{rate * 100:.5g} %"


# --- onboarding -----------------------------------------------------------------------------------------


def policy() -> discord.Embed:
    embed = discord.Embed(title=POLICY_TITLE, colour=BRAND, description="\n".join(f"• {p}" for p in POLICY_POINTS))
    embed.set_footer(text="Accept to get your starting wallet and a starter Esprit.")
    return embed


def declined() -> discord.Embed:
    return discord.Embed(
        title="Maybe later", colour=BRAND, description="No account was made. Run /start whenever you are ready."
    )


def welcome(registration: Registration, config: GameConfig) -> discord.Embed:
    starter = registration.starter
    embed = discord.Embed(
        title="✨ A new summoner",
        colour=rarity_colour(config, starter.rarity),
        description=(
            f"Welcome to Faye, **{safe(registration.profile.username)}**!\n"
            f"Your first Esprit answers your call: **{safe(starter.name)}** ({rarity_label(config, starter.rarity)})."
        ),
    )
    embed.add_field(name="Wallet", value=wallet(registration.profile), inline=False)
    embed.add_field(
        name="Tips",
        value=(
            "• /daily claims your reward every 24 h; claim within 48 h to grow your streak.\n"
            "• /summon with 10 pulls calls ten Esprits; pity guarantees rarer ones the longer you wait.\n"
            "• /inventory shows your collection, /esprit show one card, /active picks your partner."
        ),
        inline=False,
    )
    return embed


# --- economy --------------------------------------------------------------------------------------------


def profile(profile: Profile, config: GameConfig) -> discord.Embed:
    active = profile.active_esprit
    embed = discord.Embed(
        title=safe(profile.username),
        colour=rarity_colour(config, active.rarity) if active is not None else BRAND,
    )
    if profile.xp_for_next_level is None:
        xp = "max level"
    else:
        xp = (
            f"{xp_bar(profile.xp_into_level, profile.xp_for_next_level)} "
            f"{profile.xp_into_level:,} / {profile.xp_for_next_level:,}"
        )
    embed.add_field(name="Level", value=str(profile.level))
    embed.add_field(name="XP", value=xp)
    embed.add_field(name="Wallet", value=wallet(profile), inline=False)
    embed.add_field(name="Daily streak", value=plural(profile.daily_streak, "day"))
    embed.add_field(
        name="Next daily",
        value="ready to claim" if profile.next_daily_at is None else format_dt(profile.next_daily_at, "R"),
    )
    by_rarity = [f"{rarity_label(config, tier)}: {n}" for tier, n in reversed(profile.collection_by_rarity.items())]
    embed.add_field(
        name=f"Collection · {plural(profile.collection_size, 'Esprit')}", value=" · ".join(by_rarity), inline=False
    )
    if active is not None:
        embed.add_field(
            name="Active",
            value=f"{ACTIVE_MARK} **{safe(active.name)}** ({rarity_label(config, active.rarity)}) `#{active.id}`",
            inline=False,
        )
    best = profile.best_esprit
    if best is not None and best.ascension:
        max_rank = config.progression.ascension.max_rank
        embed.add_field(
            name="Best ascended",
            value=f"**{safe(best.name)}** `#{best.id}` · {rank_marks(best.ascension, max_rank)} · Lv {best.level}",
            inline=False,
        )
    embed.set_footer(text=f"Playing since {profile.created_at:%Y-%m-%d}")
    return embed


def daily(claim: DailyClaim) -> discord.Embed:
    bonus = f" (streak bonus +{claim.streak_bonus:.0%})" if claim.streak_bonus else ""
    embed = discord.Embed(
        title="✓ Daily reward",
        colour=SUCCESS,
        description=f"{money(claim.rewards)}{bonus} · +{claim.xp_gained} XP",
    )
    embed.add_field(name="Streak", value=plural(claim.streak, "day"))
    embed.add_field(
        name="Next claim",
        value=f"{format_dt(claim.next_claim_at, 'R')} (in {describe_wait(claim.next_claim_at - claim.claimed_at)})",
    )
    add_level_ups(embed, claim.level_ups)
    add_partner(embed, claim.partner)
    embed.add_field(name="Wallet", value=wallet(claim.balance), inline=False)
    return embed


# --- summons --------------------------------------------------------------------------------------------


def summon(result: SummonResult, config: GameConfig) -> discord.Embed:
    best = best_rarity((e.rarity for e in result.esprits), config.tier_rank)
    rarest = rarest_pulls(result, config.tier_rank)
    lines = []
    for i, esprit in enumerate(result.esprits, start=1):
        lines.append(pull_line(config, i, esprit, star=i - 1 in rarest))
    banner = config.banners_by_id.get(result.banner)
    on = (
        ""
        if result.banner == config.standard_banner.banner_id
        else f" · {safe(banner.name if banner else result.banner)}"
    )
    embed = discord.Embed(
        title=f"Summon ×{len(result.esprits)}{on}",
        colour=rarity_colour(config, best),
        description="\n".join(lines),
    )
    embed.add_field(name="Spent", value=f"{result.cost.amount:,} {result.cost.currency} · +{result.xp_gained} XP")
    if result.pity:
        embed.add_field(name="Pity (pulls since last / hard pity)", value=safe(pity_counters(result)))
    if result.guaranteed:
        guaranteed = ", ".join(rarity_label(config, tier) for tier in result.guaranteed)
        embed.add_field(name=f"{FEATURED_MARK} Next featured guaranteed", value=guaranteed)
    add_level_ups(embed, result.level_ups)
    add_partner(embed, result.partner)
    embed.add_field(name="Wallet", value=wallet(result.balance), inline=False)
    return embed


def pull_line(config: GameConfig, number: int, esprit: SummonedEsprit, *, star: bool) -> str:
    """One line of a summon's board: ' 3. 🟪 Epic **Name** ★ ✨ featured *(pity)* `#42`'."""
    featured = f" {FEATURED_MARK} featured" if esprit.featured else ""
    marks = (" ★" if star else "") + featured + (" *(pity)*" if esprit.pity_triggered else "")
    return f"`{number:>2}.` {rarity_label(config, esprit.rarity)} **{safe(esprit.name)}**{marks} `#{esprit.id}`"


def summon_recap(pulls: Sequence[tuple[int, SummonedEsprit | None]], config: GameConfig) -> discord.Embed:
    """A summon's board shown again when its pager comes back to page 1: each pull (its Esprit id, and the Esprit
    as it is now, or None once it has left the collection). What was true only at the moment of the summon — cost,
    pity, wallet — was on the board as first shown."""
    present = [esprit for _, esprit in pulls if esprit is not None]
    ranks = [config.tier_rank.get(esprit.rarity, UNKNOWN_RANK) for esprit in present]
    rarest = {present[i].id for i in standouts(ranks)}
    lines = [
        pull_line(config, i, esprit, star=esprit.id in rarest)
        if esprit is not None
        else f"`{i:>2}.` `#{esprit_id}` is no longer in your collection"
        for i, (esprit_id, esprit) in enumerate(pulls, start=1)
    ]
    best = best_rarity((e.rarity for e in present), config.tier_rank) if present else None
    embed = discord.Embed(
        title=f"Summon ×{len(pulls)}",
        colour=rarity_colour(config, best) if best else BRAND,
        description="\n".join(lines),
    )
    embed.set_footer(text="Your pulls as they are now. The cost, pity and wallet were on the first board.")
    return embed


def pull_gone(esprit_id: int, number: int, total: int) -> discord.Embed:
    """A summon's card page for a pull that has since left the collection (sold, listed or released)."""
    return discord.Embed(
        title=f"Pull {number} of {total}",
        colour=BRAND,
        description=f"`#{esprit_id}` is no longer in your collection, so its card is not shown.",
    )


def summoned(esprit: SummonedEsprit, number: int, total: int, config: GameConfig) -> discord.Embed:
    """One pull of a summon, shown with its card while paging."""
    pity = " · at hard pity" if esprit.pity_triggered else ""
    return discord.Embed(
        title=safe(esprit.name),
        colour=rarity_colour(config, esprit.rarity),
        description=f"{rarity_label(config, esprit.rarity)} · pull {number} of {total}{pity} · `#{esprit.id}`",
    )


# --- collection -----------------------------------------------------------------------------------------


def inventory(page: InventoryPage, config: GameConfig, *, rarity: str | None, sort: str) -> discord.Embed:
    title = "Your Esprits" if rarity is None else f"Your {rarity_label(config, rarity)} Esprits"
    if page.total == 0:
        description = "No Esprits match. Try /summon, or another rarity."
    else:
        description = clip([owned_line(config, item) for item in page.items], DESCRIPTION_LIMIT)
    embed = discord.Embed(
        title=title, colour=rarity_colour(config, rarity) if rarity else BRAND, description=description
    )
    embed.set_footer(
        text=f"Page {page.page} of {page.pages} · {plural(page.total, 'Esprit')} · sorted by {sort} · "
        f"{ACTIVE_MARK} active"
    )
    return embed


def esprit(detail: EspritDetail, config: GameConfig) -> discord.Embed:
    """The card's embed: rarity, level against its cap, ascension rank, lock, and the stats at this level."""
    marks = (f" · {ACTIVE_MARK} active" if detail.active else "") + (f" · {LOCK_MARK} locked" if detail.locked else "")
    embed = discord.Embed(
        title=safe(detail.name),
        colour=rarity_colour(config, detail.rarity),
        description=(
            f"{rarity_label(config, detail.rarity)} · {safe(detail.element)} {safe(detail.role)} · "
            f"{detail.hp}/{detail.max_hp} HP{marks}\n\n*{safe(detail.description)}*"
        ),
    )
    embed.add_field(name="Level", value=level_line(detail))
    embed.add_field(name="Ascension", value=rank_marks(detail.ascension, config.progression.ascension.max_rank))
    embed.add_field(name="\u200b", value="\u200b")  # the stats start on a row of their own
    for stat, value in detail.stats.items():
        icon = config.stat_icons.get(stat, "")
        embed.add_field(name=safe(f"{icon} {stat_label(stat)}".strip()), value=stat_value(stat, value))
    embed.set_footer(text=f"#{detail.id} · yours since {detail.acquired_at:%Y-%m-%d}")
    return embed


def active(esprit: OwnedEsprit, config: GameConfig) -> discord.Embed:
    return discord.Embed(
        title="Active Esprit",
        colour=rarity_colour(config, esprit.rarity),
        description=f"{ACTIVE_MARK} **{safe(esprit.name)}** (`#{esprit.id}`) is now your active partner.",
    )


def locked(esprit: OwnedEsprit, config: GameConfig) -> discord.Embed:
    """/lock and /unlock: where the Esprit stands now."""
    if esprit.locked:
        title, text = (
            f"{LOCK_MARK} Locked",
            "is locked: it cannot be released, consumed or listed until you /unlock it.",
        )
    else:
        title = "Unlocked"
        text = "is unlocked: it may be released, consumed or listed again."
    return discord.Embed(
        title=title,
        colour=rarity_colour(config, esprit.rarity),
        description=f"**{safe(esprit.name)}** (`#{esprit.id}`) {text}",
    )


def esprit_choice(esprit: OwnedEsprit) -> str:
    """An autocomplete entry for one of the player's Esprits."""
    return printable(f"{esprit.name} · {esprit.rarity} · Lv {esprit.level} (#{esprit.id})")[:CHOICE_LIMIT]


# --- progression ----------------------------------------------------------------------------------------


def training(trained: Training, config: GameConfig) -> discord.Embed:
    esprit = trained.esprit
    grew = f", {plural(trained.levels_gained, 'level')} up" if trained.levels_gained else ""
    embed = discord.Embed(
        title="✓ Trained",
        colour=rarity_colour(config, esprit.rarity),
        description=(
            f"**{safe(esprit.name)}** (`#{esprit.id}`) gained {trained.xp_gained:,} XP{grew} for "
            f"{CURRENCY_ICONS['faylen']} {trained.cost.amount:,} {trained.cost.currency}."
        ),
    )
    embed.add_field(name="Level", value=level_line(esprit), inline=False)
    embed.add_field(name="Wallet", value=wallet(trained.balance), inline=False)
    return embed


def fodder_line(config: GameConfig, esprit: OwnedEsprit) -> str:
    return f"`#{esprit.id}` {rarity_label(config, esprit.rarity)} **{safe(esprit.name)}** · Lv {esprit.level}"


def ascend_confirm(plan: AscensionPlan, config: GameConfig) -> discord.Embed:
    """What confirming an ascension does: exactly these duplicates go, and this much virelite."""
    target = plan.esprit
    max_rank = config.progression.ascension.max_rank
    embed = discord.Embed(
        title=f"Ascend {safe(target.name)}?",
        colour=rarity_colour(config, target.rarity),
        description=(
            f"**{safe(target.name)}** (`#{target.id}`) climbs from {rank_marks(target.ascension, max_rank)} to "
            f"rank {plan.rank} (level cap {plan.level_cap}). Confirming consumes these duplicates for good:"
        ),
    )
    embed.add_field(
        name="Consumed", value=clip([fodder_line(config, e) for e in plan.fodder], FIELD_LIMIT), inline=False
    )
    icon = CURRENCY_ICONS["virelite"]
    have = plan.balance.virelite
    short = "" if plan.affordable else " — not enough yet"
    embed.add_field(name="Cost", value=f"{icon} {plan.cost.amount:,} virelite (you have {have:,}){short}", inline=False)
    return embed


def ascension(ascended: Ascension, config: GameConfig) -> discord.Embed:
    esprit = ascended.esprit
    max_rank = config.progression.ascension.max_rank
    consumed = ", ".join(f"`#{i}`" for i in ascended.consumed)
    embed = discord.Embed(
        title="✓ Ascended",
        colour=rarity_colour(config, esprit.rarity),
        description=(
            f"**{safe(esprit.name)}** (`#{esprit.id}`) is now {rank_marks(esprit.ascension, max_rank)}; "
            f"its level cap is {esprit.level_cap}."
        ),
    )
    embed.add_field(name="Consumed", value=clip([consumed], FIELD_LIMIT) if consumed else "nothing", inline=False)
    embed.add_field(name="Spent", value=money({ascended.cost.currency: ascended.cost.amount}))
    embed.add_field(name="Wallet", value=wallet(ascended.balance), inline=False)
    return embed


def released_line(config: GameConfig, esprit: ReleasedEsprit) -> str:
    paid = money({k: v for k, v in (("faylen", esprit.faylen), ("virelite", esprit.virelite)) if v})
    return f"`#{esprit.id}` {rarity_label(config, esprit.rarity)} **{safe(esprit.name)}** · Lv {esprit.level} → {paid}"


def release(result: Release, config: GameConfig) -> discord.Embed:
    """A release preview (nothing happened yet) or what a release did."""
    count = plural(len(result.released), "Esprit")
    if result.dry_run:
        title, intro = f"Release {count}?", "Confirming releases exactly these, for good:"
    else:
        title, intro = f"✓ Released {count}", "Gone for good:"
    embed = discord.Embed(
        title=title,
        colour=REFUSED if result.dry_run else SUCCESS,
        description=intro + "\n" + clip([released_line(config, e) for e in result.released], DESCRIPTION_LIMIT - 60),
    )
    embed.add_field(name="You get" if result.dry_run else "Received", value=money(result.reward), inline=False)
    if result.skipped:
        kept = " · ".join(f"{n} {why}" for why, n in result.skipped.items())
        embed.add_field(name="Kept (they may not go)", value=kept, inline=False)
    embed.add_field(name="Wallet now" if result.dry_run else "Wallet", value=wallet(result.balance), inline=False)
    return embed


#: The details of a history event worth a word in Discord, and how each reads.
EVENT_DETAILS: Final = {
    "source": "from a {}",
    "listing_id": "listing #{}",
    "price": "for 🪙 {}",
    "why": "{}",
    "rank": "rank {}",
    "by_esprit": "into #{}",
    "level": "at Lv {}",
}


def event_line(event: EspritEventView) -> str:
    """One event of an Esprit's life: when, what, who held it after, and the details that matter."""
    holder = f" · {player_ref(event.owner)}" if event.owner else ""
    details = [
        safe(shape.format(f"{value:,}" if key == "price" and isinstance(value, int) else value))
        for key, shape in EVENT_DETAILS.items()
        if (value := event.detail.get(key)) is not None
    ]
    return f"{format_dt(event.at, 'f')} **{safe(event.kind)}**{holder}" + "".join(f" · {d}" for d in details)


def esprit_history(history: EspritHistory, events: Sequence[EspritEventView], page: int, pages: int) -> discord.Embed:
    embed = discord.Embed(
        title=f"History of {safe(history.name)} (#{history.esprit_id})",
        colour=BRAND,
        description=clip([event_line(e) for e in events], DESCRIPTION_LIMIT),
    )
    embed.set_footer(text=f"Page {page} of {pages} · {plural(len(history.events), 'event')}, oldest first")
    return embed


# --- leaderboard ----------------------------------------------------------------------------------------


def leaderboard(board: Leaderboard) -> discord.Embed:
    embed = discord.Embed(title=f"Leaderboard · by {board.by}", colour=BRAND)
    if not board.entries:
        embed.description = "Nobody has registered yet. Be the first: /start"
        return embed
    lines = []
    for entry in board.entries:
        level = "" if board.by == "level" else f" · Lv {entry.level}"
        value = ranking_value(board.by, entry.value)
        lines.append(f"{medal(entry.rank) or f'`{entry.rank:>2}.`'} **{safe(entry.username)}** — {value}{level}")
    embed.description = clip(lines, DESCRIPTION_LIMIT)
    return embed


def ranking_value(by: str, value: int) -> str:
    """'level 12', '1,250 XP', '🪙 3,000', '14 Esprits'."""
    units = {
        "level": f"level {value}",
        "xp": f"{value:,} XP",
        "faylen": f"{CURRENCY_ICONS['faylen']} {value:,}",
        "collection": plural(value, "Esprit"),
    }
    return units.get(by, f"{value:,}")


# --- auction house --------------------------------------------------------------------------------------


def listing_created(created: ListingCreated, config: GameConfig) -> discord.Embed:
    listing = created.listing
    esprit = listing.esprit
    embed = discord.Embed(
        title=f"✓ Listed as #{listing.id}",
        colour=rarity_colour(config, esprit.rarity),
        description=(
            f"**{safe(esprit.name)}** (`#{esprit.id}`) is for sale at {CURRENCY_ICONS['faylen']} {listing.price:,} "
            f"faylen until {format_dt(listing.expires_at, 'f')} ({format_dt(listing.expires_at, 'R')}). "
            "It waits in escrow until it sells, you cancel, or time runs out."
        ),
    )
    embed.add_field(name="Listing fee", value=f"{listing.fee:,} faylen (not refunded)")
    embed.add_field(name="Wallet", value=wallet(created.balance), inline=False)
    return embed


def listing_page(page: ListingPage, config: GameConfig) -> discord.Embed:
    embed = discord.Embed(title="Auction house", colour=BRAND)
    if page.total == 0:
        embed.description = "No open listings match. Sell one of yours with /auction list."
    else:
        embed.description = clip([listing_line(config, item) for item in page.items], DESCRIPTION_LIMIT)
    embed.set_footer(text=f"Page {page.page} of {page.pages} · {plural(page.total, 'listing')} · /auction buy")
    return embed


def listing_choice(listing: Listing) -> str:
    """An autocomplete entry for a listing."""
    esprit = listing.esprit
    return printable(f"#{listing.id} {esprit.name} · {esprit.rarity} · Lv {esprit.level} · {listing.price:,} faylen")[
        :CHOICE_LIMIT
    ]


def buy_confirm(listing: Listing, config: GameConfig) -> discord.Embed:
    esprit = listing.esprit
    return discord.Embed(
        title=f"Buy listing #{listing.id}?",
        colour=rarity_colour(config, esprit.rarity),
        description=(
            f"**{safe(esprit.name)}** (`#{esprit.id}`, {rarity_label(config, esprit.rarity)}, level {esprit.level}) "
            f"from {player_ref(listing.seller_id)} for {CURRENCY_ICONS['faylen']} {listing.price:,} faylen. "
            "You pay on confirming and the Esprit joins your collection at once."
        ),
    )


def purchase(bought: Purchase, config: GameConfig) -> discord.Embed:
    esprit = bought.listing.esprit
    embed = discord.Embed(
        title="✓ Bought",
        colour=rarity_colour(config, esprit.rarity),
        description=(
            f"**{safe(esprit.name)}** (`#{esprit.id}`, {rarity_label(config, esprit.rarity)}) from "
            f"{player_ref(bought.listing.seller_id)} for {CURRENCY_ICONS['faylen']} {bought.paid:,} faylen."
        ),
    )
    embed.add_field(name="Wallet", value=wallet(bought.balance), inline=False)
    return embed


def cancellation(cancelled: Cancellation, config: GameConfig) -> discord.Embed:
    esprit = cancelled.listing.esprit
    return discord.Embed(
        title=f"✓ Listing #{cancelled.listing.id} cancelled",
        colour=rarity_colour(config, esprit.rarity),
        description=f"**{safe(esprit.name)}** (`#{esprit.id}`) is back in your collection.",
    )


def auction_history(history: AuctionHistory, config: GameConfig) -> discord.Embed:
    embed = discord.Embed(title="Your auctions", colour=BRAND)
    sections = (("Open listings", history.open), ("Sold", history.sales), ("Bought", history.purchases))
    for title, listings in sections:
        if listings:
            embed.add_field(
                name=title, value=clip([listing_line(config, x) for x in listings], FIELD_LIMIT), inline=False
            )
    if not embed.fields:
        embed.description = "No auction activity yet. Try /auction browse."
    return embed


# --- odds disclosure ------------------------------------------------------------------------------------


def rates(disclosure: Disclosure, config: GameConfig) -> discord.Embed:
    embed = discord.Embed(
        title="Summon odds",
        colour=BRAND,
        description=(
            "**Long run**: the share of all pulls, pity included. **Pulls**: how many a new account needs to get one "
            "of this tier *or higher* (pity counters reset on any higher tier too). **10×**: the chance a 10-pull "
            "holds one, for a new account and in the long run."
        ),
    )
    for odds in reversed(disclosure.tiers):
        worst = "∞" if odds.max_pulls is None else f"{odds.max_pulls:,}"
        percentiles = (("p50", odds.p50_pulls), ("p90", odds.p90_pulls), ("p99", odds.p99_pulls))
        spread = [f"{name} {n:,}" for name, n in percentiles if n is not None]
        pulls = " · ".join([f"mean {odds.mean_pulls:.2f}", *spread, f"max {worst}"])
        embed.add_field(
            name=rarity_label(config, odds.name),
            value=(
                f"Base {percent(odds.base_rate)} · long run **{percent(odds.consolidated_rate)}**\n"
                f"Pulls: {pulls}\n"
                f"10×: {percent(odds.ten_pull_at_least_one_fresh)} new · {percent(odds.ten_pull_at_least_one)} long run"
            ),
            inline=False,
        )
    embed.set_footer(text=f"Exact: a Markov chain over {disclosure.states:,} pity states, no sampling.")
    return embed


# --- operators ------------------------------------------------------------------------------------------


def reset_confirm() -> discord.Embed:
    return discord.Embed(
        title="Reset the database?",
        colour=FAILED,
        description="This deletes **every player's data** — wallets, Esprits, listings, the ledger — and reseeds "
        "the Esprit definitions. It cannot be undone.",
    )


def reset_done(report: ResetReport) -> discord.Embed:
    return discord.Embed(
        title="Database reset",
        colour=SUCCESS,
        description=(
            f"Deleted {plural(report.players_deleted, 'player')}, {plural(report.esprits_deleted, 'Esprit')} and "
            f"{plural(report.ledger_rows_deleted, 'ledger row')}; reseeded "
            f"{plural(report.esprit_definitions, 'Esprit definition')}."
        ),
    )


def grant(granted: Grant) -> discord.Embed:
    icon = CURRENCY_ICONS.get(granted.currency, "")
    return discord.Embed(
        title="✓ Granted",
        colour=SUCCESS,
        description=(
            f"{icon} {granted.amount:,} {granted.currency} to {player_ref(granted.user_id)}; "
            f"their balance is now {granted.balance_after:,}."
        ),
    )


# --- outcomes of buttons and refusals -------------------------------------------------------------------


def cancelled() -> discord.Embed:
    return discord.Embed(title="Cancelled", colour=BRAND, description="Nothing was changed.")


def config_reloaded(reloaded: ConfigReloaded, bots_told: int) -> discord.Embed:
    changed = ", ".join(f"`{safe(name)}`" for name in reloaded.changed) or "none (the same files again)"
    siblings = (
        f" {bots_told} other bot process{'es' if bots_told != 1 else ''} told to reload too." if bots_told else ""
    )
    return discord.Embed(
        title="Game data reloaded",
        colour=SUCCESS,
        description=(
            f"Digest `{reloaded.before or 'unknown'}` → `{reloaded.after}`. Files changed: {changed}. "
            f"Interactions from now on play by it; those already running finish on the old data.{siblings}"
        ),
    )


def config_not_reloaded(problems: Sequence[str]) -> discord.Embed:
    """The validator's problems name the file and field; shown literally (a file may hold anything)."""
    listed = "\n".join(f"- {safe(problem)}" for problem in problems[:10])
    more = f"\n… and {len(problems) - 10} more (`faye config validate` lists them all)" if len(problems) > 10 else ""
    return discord.Embed(
        title="Game data not reloaded: nothing changed",
        colour=KIND_COLOURS[ErrorKind.BAD_INPUT],
        description=f"{listed}{more}"[:4000],
    )


def refusal(error: FayeError) -> discord.Embed:
    """The embed of a refusal: title and advice by code, colour by kind. A service message may echo what the
    player typed, so it is shown literally."""
    title, text = REFUSALS.get(error.code, ("Refused", None))
    description = text or safe(sentence(error.message))
    embed = discord.Embed(title=title, colour=KIND_COLOURS[error.kind], description=description)
    opens = error.details.get("next_claim_at")
    if isinstance(opens, datetime):
        embed.add_field(name="Opens", value=f"{format_dt(opens, 'f')} ({format_dt(opens, 'R')})")
    retry = error.details.get("retry_at")
    if isinstance(retry, datetime):
        embed.add_field(name="Try again", value=f"{format_dt(retry, 'f')} ({format_dt(retry, 'R')})")
    return embed


def incident(incident_id: str) -> discord.Embed:
    return discord.Embed(
        title="Something went wrong",
        colour=FAILED,
        description=f"That is a bug on our side, not something you did. Quote incident `{incident_id}` when you "
        "report it.",
    )


def bad_input(text: str) -> discord.Embed:
    """`text` may echo what the player typed: it is shown literally."""
    return discord.Embed(title="That doesn't work", colour=KIND_COLOURS[ErrorKind.BAD_INPUT], description=safe(text))


def out_of_date() -> discord.Embed:
    return discord.Embed(
        title="This command changed",
        colour=REFUSED,
        description="Discord still shows an older version of this command. Try again in a minute.",
    )


def not_yours() -> discord.Embed:
    return discord.Embed(
        title="Not your buttons",
        colour=REFUSED,
        description="Only whoever ran the command can use these. Run it yourself to get your own.",
    )


def already_done() -> discord.Embed:
    return discord.Embed(title="Already done", colour=REFUSED, description="That button has already acted.")


def expired() -> discord.Embed:
    """A button the bot can no longer act on: a confirmation from before a restart, or one it cannot read."""
    return discord.Embed(
        title="These buttons have expired",
        colour=REFUSED,
        description="Nothing was done. Run the command again to get fresh buttons.",
    )
