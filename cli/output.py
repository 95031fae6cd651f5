"""Rich views of service results: one function per result type, rarity colours from rarity_visuals.json.

Names, ids, Esprit names and lore, tier and element names are foreign text (a player's or a designer's): they
reach the console only as `cli.text.safe` Text, never inside markup; the markup strings here are all our own.
"""

from __future__ import annotations

from datetime import datetime

from rich import box
from rich.console import Group
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from cli.runtime import View
from cli.text import safe
from faye.clock import describe_wait
from faye.display import medal, money, pity_counters, plural, rarest_pulls, stat_label, stat_value, wallet
from faye.results import (
    Ascension,
    AuctionHistory,
    AuditReport,
    Balance,
    Cancellation,
    DailyClaim,
    EspritDetail,
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
    ResetReport,
    SummonResult,
    Training,
)


def rarity_text(view: View, rarity: str) -> Text:
    visual = view.config.visuals.get(rarity)
    if visual is None:
        return safe(rarity)
    return safe(f"{visual.emoji} {rarity}", style=f"bold {visual.color}")


def name_text(view: View, name: str, rarity: str) -> Text:
    visual = view.config.visuals.get(rarity)
    return safe(name, style=f"bold {visual.color}" if visual else "bold")


def when(moment: datetime | None, now: datetime | None = None) -> str:
    if moment is None:
        return "now"
    text = f"{moment:%Y-%m-%d %H:%M} UTC"
    return f"{text} (in {describe_wait(moment - now)})" if now is not None else text


def show_level_ups(level_ups: list[LevelUp], view: View) -> None:
    for up in level_ups:
        view.console.print(f"[bold green]⬆ Level {up.level}![/] Reward: {money(up.rewards)}")


def mention_partner(partner: PartnerGrowth | None, view: View) -> None:
    """One line on what the active Esprit took of the XP a summon or a daily claim earned."""
    if partner is None:
        return
    grew = f", up {plural(partner.levels_gained, 'level')}" if partner.levels_gained else ""
    view.console.print(
        Text.assemble(
            "  ◆ ",
            safe(partner.name, "bold"),
            f" (#{partner.id}) +{partner.xp_gained:,} XP{grew} · level {partner.level}",
        )
    )


def rank_text(ascension: int) -> Text:
    """The ascension rank, distinct from the rarity's emoji (and from ✦, the gems): '✪3', a dim '–' before the
    first ascension."""
    return Text(f"✪{ascension}", style="bold magenta") if ascension else Text("–", style="dim")


def esprit_label(view: View, esprit: OwnedEsprit) -> Text:
    """'🔒 Name (#12)': the name in its rarity's colour, the lock mark when locked."""
    label = Text.assemble(name_text(view, esprit.name, esprit.rarity), f" (#{esprit.id})")
    return Text.assemble("🔒 ", label) if esprit.locked else label


def level_text(esprit: OwnedEsprit) -> str:
    """'level 12/30 · 140 XP to next', or 'level 30/30 (cap)'."""
    if esprit.xp_to_next is None:
        return f"level {esprit.level}/{esprit.level_cap} (cap)"
    return f"level {esprit.level}/{esprit.level_cap} · {esprit.xp_to_next - esprit.xp:,} XP to next"


def show_profile(profile: Profile, view: View) -> None:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim")
    grid.add_column()
    xp_line: Table | str
    if profile.xp_for_next_level is None:
        xp_line = "max level"
    else:
        xp_line = Table.grid(padding=(0, 1))
        xp_line.add_row(
            ProgressBar(total=profile.xp_for_next_level, completed=profile.xp_into_level, width=20),
            Text(f"{profile.xp_into_level:,} / {profile.xp_for_next_level:,}", style="dim"),
        )
    grid.add_row("Level", Text(str(profile.level), style="bold"))
    grid.add_row("XP", xp_line)
    grid.add_row("Wallet", wallet(profile))
    grid.add_row("Daily streak", f"{profile.daily_streak} day{'s' if profile.daily_streak != 1 else ''}")
    grid.add_row("Next daily", "ready to claim" if profile.next_daily_at is None else when(profile.next_daily_at))
    grid.add_row("Collection", f"{profile.collection_size} Esprit{'s' if profile.collection_size != 1 else ''}")
    if profile.active_esprit is not None:
        active = profile.active_esprit
        grid.add_row(
            "Active",
            Text.assemble(
                name_text(view, active.name, active.rarity),
                "  ",
                rarity_text(view, active.rarity),
                f"  #{active.id}",
            ),
        )
    view.console.print(
        Panel(
            grid,
            title=safe(profile.username, "bold"),
            subtitle=safe(profile.user_id),
            expand=False,
            box=box.ROUNDED,
        )
    )


def show_balance(balance: Balance, view: View) -> None:
    view.console.print(Text.assemble(safe(balance.username, "bold"), f" · level {balance.level} · {wallet(balance)}"))


def show_registration(registration: Registration, view: View) -> None:
    starter = registration.starter
    view.console.print(
        Panel(
            Text.assemble(
                "Welcome to Faye, ",
                safe(registration.profile.username, "bold"),
                "!\nYour first Esprit answers your call: ",
                name_text(view, starter.name, starter.rarity),
                "  ",
                rarity_text(view, starter.rarity),
                f"\nStarting wallet: {wallet(registration.profile)}",
            ),
            title="✨ A new summoner",
            expand=False,
        )
    )
    tips = [
        "`faye daily` claims your reward every 24 h; claim within 48 h to keep your streak.",
        "`faye summon --amount 10` calls ten Esprits; pity guarantees rarer ones the longer you wait.",
        "`faye inventory` shows your collection; `faye active set ID` picks your partner.",
    ]
    for tip in tips:
        view.console.print(f"  [dim]•[/] {tip}")


def show_daily(claim: DailyClaim, view: View) -> None:
    bonus = f" (streak bonus +{claim.streak_bonus:.0%})" if claim.streak_bonus else ""
    view.console.print(f"[bold green]✓ Daily reward:[/] {money(claim.rewards)}{bonus}  +{claim.xp_gained} XP")
    view.console.print(f"  Streak: [bold]{claim.streak}[/] day{'s' if claim.streak != 1 else ''}")
    view.console.print(f"  Next claim: {when(claim.next_claim_at, claim.claimed_at)}")
    show_level_ups(claim.level_ups, view)
    mention_partner(claim.partner, view)
    view.console.print(f"  Wallet: {wallet(claim.balance)}")


def show_summon(result: SummonResult, view: View) -> None:
    rarest = rarest_pulls(result, view.config.tier_rank)
    banner = view.config.banners_by_id.get(result.banner)
    title = Text.assemble(f"Summon ×{len(result.esprits)} on ", safe(banner.name if banner else result.banner))
    table = Table(title=title, box=box.SIMPLE_HEAVY, title_style="bold")
    table.add_column("#", justify="right", style="dim")
    table.add_column("Esprit")
    table.add_column("Rarity")
    table.add_column("Id", justify="right", style="dim")
    for i, esprit in enumerate(result.esprits, start=1):
        name = name_text(view, esprit.name, esprit.rarity)
        if i - 1 in rarest:
            name.append(" ★", style="bold yellow")
        if esprit.featured:
            name.append(" ◈ featured", style="bold yellow")
        if esprit.pity_triggered:
            name.append(" (pity)", style="dim")
        table.add_row(str(i), name, rarity_text(view, esprit.rarity), str(esprit.id))
    view.console.print(table)
    view.console.print(f"  Spent {result.cost.amount:,} {result.cost.currency} · +{result.xp_gained} XP")
    if result.pity:
        view.console.print(Text.assemble("  Pity (pulls since last, of hard pity): ", safe(pity_counters(result))))
    if result.guaranteed:
        next_featured = safe(" and ".join(result.guaranteed))
        view.console.print(Text.assemble("  Guaranteed featured: your next ", next_featured, " on this banner group"))
    show_level_ups(result.level_ups, view)
    mention_partner(result.partner, view)
    view.console.print(f"  Wallet: {wallet(result.balance)}")


def show_inventory(page: InventoryPage, view: View) -> None:
    if page.total == 0:
        view.console.print("No Esprits match. Try `faye summon` or a different filter.")
        return
    table = Table(box=box.SIMPLE_HEAVY)
    table.add_column("Id", justify="right", style="dim")
    table.add_column("Esprit")
    table.add_column("Rarity")
    table.add_column("✪", justify="right")
    table.add_column("Lv", justify="right")
    table.add_column("HP", justify="right")
    table.add_column("Element")
    table.add_column("Role")
    for item in page.items:
        name = name_text(view, item.name, item.rarity)
        if item.locked:
            name = Text.assemble("🔒 ", name)
        if item.active:
            name = Text.assemble(("◆ ", "green"), name)
        table.add_row(
            str(item.id),
            name,
            rarity_text(view, item.rarity),
            rank_text(item.ascension),
            str(item.level),
            f"{item.hp}/{item.max_hp}",
            safe(item.element),
            safe(item.role),
        )
    view.console.print(table)
    view.console.print(
        f"  Page {page.page} of {page.pages} · {page.total} Esprits · ◆ active · 🔒 locked · ✪ ascension rank",
        style="dim",
    )


def show_esprit(esprit: EspritDetail, view: View) -> None:
    stats = Table.grid(padding=(0, 2))
    stats.add_column()
    stats.add_column(justify="right")
    for stat, value in esprit.stats.items():
        icon = view.config.stat_icons.get(stat, "")
        stats.add_row(safe(f"{icon} {stat_label(stat)}"), stat_value(stat, value))
    header = Text.assemble(rarity_text(view, esprit.rarity), safe(f"  ·  {esprit.element} {esprit.role}"))
    if esprit.active:
        header.append("  ·  active", style="green")
    if esprit.locked:
        header.append("  ·  🔒 locked")
    top = view.config.progression.ascension.max_rank
    rank = Text(f"{esprit.ascension}/{top}", style="bold magenta" if esprit.ascension else "")
    growth = Text.assemble("✪ Ascension rank ", rank, f"  ·  {level_text(esprit)}")
    body = Group(header, growth, Text(""), safe(esprit.description, "italic"), Text(""), stats)
    view.console.print(
        Panel(body, title=name_text(view, esprit.name, esprit.rarity), subtitle=f"#{esprit.id}", expand=False)
    )


def show_active(esprit: OwnedEsprit, view: View) -> None:
    view.console.print(
        Text.assemble("◆ ", name_text(view, esprit.name, esprit.rarity), f" (#{esprit.id}) is now your active Esprit.")
    )


def show_leaderboard(board: Leaderboard, view: View) -> None:
    if not board.entries:
        view.console.print("Nobody has registered yet.")
        return
    table = Table(title=f"Leaderboard · by {board.by}", box=box.SIMPLE_HEAVY, title_style="bold")
    table.add_column("✪", justify="right")
    table.add_column("Player")
    table.add_column(board.by.capitalize(), justify="right")
    by_level = board.by == "level"  # the ranked value is the level itself: no second Level column
    if not by_level:
        table.add_column("Level", justify="right", style="dim")
    for entry in board.entries:
        cells: list[str | Text] = [medal(entry.rank) or str(entry.rank), safe(entry.username), f"{entry.value:,}"]
        table.add_row(*cells, *([] if by_level else [str(entry.level)]))
    view.console.print(table)


def show_reset(report: ResetReport, view: View) -> None:
    view.console.print(
        f"[bold]Database reset:[/] {report.players_deleted} players, {report.esprits_deleted} Esprits and "
        f"{report.ledger_rows_deleted} ledger rows deleted; {report.esprit_definitions} Esprit definitions reseeded."
    )


def show_grant(grant: Grant, view: View) -> None:
    view.console.print(
        Text.assemble(
            f"Granted {grant.amount:,} {grant.currency} to ",
            safe(grant.user_id),
            f"; balance now {grant.balance_after:,}.",
        )
    )


def listing_row(view: View, listing: Listing, table: Table) -> None:
    esprit = listing.esprit
    table.add_row(
        str(listing.id),
        name_text(view, esprit.name, esprit.rarity),
        rarity_text(view, esprit.rarity),
        f"{listing.price:,}",
        safe(listing.seller_id),
        f"{listing.expires_at:%Y-%m-%d %H:%M}" if listing.status == "open" else listing.status,
    )


def listing_table(view: View, title: str, listings: list[Listing]) -> Table:
    table = Table(title=title, box=box.SIMPLE_HEAVY, title_style="bold")
    table.add_column("Listing", justify="right", style="dim")
    table.add_column("Esprit")
    table.add_column("Rarity")
    table.add_column("Price 🪙", justify="right")
    table.add_column("Seller")
    table.add_column("Closes (UTC)")
    for listing in listings:
        listing_row(view, listing, table)
    return table


def show_listing_created(created: ListingCreated, view: View) -> None:
    listing = created.listing
    view.console.print(
        Text.assemble(
            "✓ Listed ",
            name_text(view, listing.esprit.name, listing.esprit.rarity),
            f" (#{listing.esprit.id}) for {listing.price:,} faylen as listing {listing.id}; "
            f"it closes {listing.expires_at:%Y-%m-%d %H:%M} UTC.",
        )
    )
    view.console.print(f"  Listing fee {listing.fee:,} faylen · the Esprit waits in escrow until then.", style="dim")
    view.console.print(f"  Wallet: {wallet(created.balance)}")


def show_listing_page(page: ListingPage, view: View) -> None:
    if page.total == 0:
        view.console.print("No open listings match.")
        return
    view.console.print(listing_table(view, "Auction house", page.items))
    view.console.print(f"  Page {page.page} of {page.pages} · {page.total} listings", style="dim")


def show_purchase(purchase: Purchase, view: View) -> None:
    esprit = purchase.listing.esprit
    view.console.print(
        Text.assemble(
            "✓ Bought ",
            name_text(view, esprit.name, esprit.rarity),
            f" (#{esprit.id}) from ",
            safe(purchase.listing.seller_id),
            f" for {purchase.paid:,} faylen.",
        )
    )
    view.console.print(f"  Wallet: {wallet(purchase.balance)}")


def show_cancellation(cancellation: Cancellation, view: View) -> None:
    esprit = cancellation.listing.esprit
    view.console.print(
        Text.assemble(
            f"✓ Listing {cancellation.listing.id} cancelled: ",
            name_text(view, esprit.name, esprit.rarity),
            f" (#{esprit.id}) is back in your collection.",
        )
    )


def show_auction_history(history: AuctionHistory, view: View) -> None:
    sections = (("Your open listings", history.open), ("Sold", history.sales), ("Bought", history.purchases))
    shown = False
    for title, listings in sections:
        if listings:
            view.console.print(listing_table(view, title, listings))
            shown = True
    if not shown:
        view.console.print("No auction activity yet. Try `faye auction browse`.")


def show_audit(report: AuditReport, view: View) -> None:
    scope = (
        f"{report.players} players, {report.esprits} Esprits, {report.open_listings} open listings, "
        f"{report.ledger_rows} ledger rows"
    )
    if report.consistent:
        view.console.print(f"[bold green]✓ Consistent:[/] {scope}.")
        return
    view.console.print(f"[bold red]✗ {len(report.problems)} discrepancies[/] in {scope}:")
    for problem in report.problems:
        view.console.print(Text.assemble("  • ", safe(problem)))


def show_training(training: Training, view: View) -> None:
    esprit = training.esprit
    grew = f", up {plural(training.levels_gained, 'level')}" if training.levels_gained else ""
    view.console.print(Text.assemble("✓ Trained ", esprit_label(view, esprit), f": +{training.xp_gained:,} XP{grew}."))
    view.console.print(f"  Now {level_text(esprit)} · spent {training.cost.amount:,} {training.cost.currency}")
    view.console.print(f"  Wallet: {wallet(training.balance)}")


def show_ascension(ascension: Ascension, view: View) -> None:
    esprit = ascension.esprit
    view.console.print(
        Text.assemble(
            "✦ ",
            esprit_label(view, esprit),
            " ascended to rank ",
            rank_text(esprit.ascension),
            f": level cap {esprit.level_cap}, stronger stats.",
        )
    )
    consumed = ", ".join(f"#{esprit_id}" for esprit_id in ascension.consumed) or "none"
    view.console.print(f"  Consumed {consumed} · spent {ascension.cost.amount:,} {ascension.cost.currency}")
    view.console.print(f"  Wallet: {wallet(ascension.balance)}")


def show_release(release: Release, view: View) -> None:
    """The table of exactly what goes and what each pays, the total, and what the filters kept back."""
    title = "Would release" if release.dry_run else "Released"
    table = Table(title=f"{title} {plural(len(release.released), 'Esprit')}", box=box.SIMPLE_HEAVY, title_style="bold")
    table.add_column("Id", justify="right", style="dim")
    table.add_column("Esprit")
    table.add_column("Rarity")
    table.add_column("Lv", justify="right")
    table.add_column("🪙 faylen", justify="right")
    table.add_column("💎 virelite", justify="right")
    for esprit in release.released:
        table.add_row(
            str(esprit.id),
            name_text(view, esprit.name, esprit.rarity),
            rarity_text(view, esprit.rarity),
            str(esprit.level),
            f"{esprit.faylen:,}",
            f"{esprit.virelite:,}",
        )
    view.console.print(table)
    kept = ", ".join(f"{n} {why}" for why, n in release.skipped.items())
    if kept:
        view.console.print(f"  Kept back by the filter: {kept} (never released)", style="dim")
    if release.dry_run:
        view.console.print(f"  You would receive {money(release.reward)} · nothing has been released yet")
        view.console.print(f"  Wallet now: {wallet(release.balance)}")
    else:
        view.console.print(f"[bold green]✓ Received[/] {money(release.reward)}")
        view.console.print(f"  Wallet: {wallet(release.balance)}")


def show_lock(esprit: OwnedEsprit, view: View) -> None:
    if esprit.locked:
        view.console.print(
            Text.assemble(esprit_label(view, esprit), " is locked: it will not be released, consumed or listed.")
        )
    else:
        view.console.print(Text.assemble(esprit_label(view, esprit), " is unlocked."))


def show_history(history: EspritHistory, view: View) -> None:
    table = Table(
        title=safe(f"History of {history.name} (#{history.esprit_id})"), box=box.SIMPLE_HEAVY, title_style="bold"
    )
    table.add_column("When (UTC)", style="dim")
    table.add_column("Event")
    table.add_column("Held by")
    table.add_column("Detail", style="dim")
    for event in history.events:
        detail = "  ".join(f"{key}={value}" for key, value in event.detail.items())
        table.add_row(
            f"{event.at:%Y-%m-%d %H:%M}",
            event.kind,
            safe(event.owner) if event.owner is not None else Text("–", style="dim"),
            safe(detail),
        )
    view.console.print(table)
