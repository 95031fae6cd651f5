"""Rich views of banners, pull history, luck and the prune of old pulls (`--json` prints the results as they are).

Banner and Esprit names are designers' text and ids may be players': all reach the console through
`cli.text.safe` or the name helpers of `cli.output`, never inside markup.
"""

from __future__ import annotations

from datetime import timedelta

from rich import box
from rich.table import Table
from rich.text import Text

from cli.output import name_text, rarity_text
from cli.runtime import View
from cli.text import safe
from faye.clock import describe_wait
from faye.display import plural
from faye.results import BannerList, BannerView, HitLuck, LuckReport, PityStanding, PullHistory, PullPrune, TierLuck

#: Hits of one tier the luck view lists, the latest ones; `--json` has them all.
SHOWN_HITS = 5


def _featured(view: View, banner: BannerView) -> Text:
    """One line per featured tier: its Esprits in their colours, then the share and the guarantee."""
    lines = []
    for tier, part in banner.featured_share.items():
        names = [name_text(view, f.name, f.tier) for f in banner.featured if f.tier == tier]
        rule = f" ({part:.0%}{', then guaranteed' if banner.guarantee.get(tier) else ''})"
        lines.append(Text.assemble(rarity_text(view, tier), " ", Text(", ").join(names), (rule, "dim")))
    return Text("\n").join(lines) if lines else Text("–", style="dim")


def _standing(standing: PityStanding) -> Text:
    counters = " · ".join(
        f"{tier} {pulls}/{standing.hard_pity[tier]}" if tier in standing.hard_pity else f"{tier} {pulls}"
        for tier, pulls in standing.pity.items()
    )
    text = safe(counters)
    if standing.guaranteed:
        text.append(f"\nnext {' and '.join(standing.guaranteed)} featured", style="bold green")
    return text


def show_banners(listing: BannerList, view: View) -> None:
    standings = any(b.standing is not None for b in listing.banners)
    table = Table(title=f"Banners open at {listing.at:%Y-%m-%d %H:%M} UTC", box=box.SIMPLE_HEAVY, title_style="bold")
    table.add_column("Banner")
    table.add_column("Closes")
    table.add_column("Featured")
    table.add_column("Cost ×1 / ×10", justify="right")
    if standings:
        table.add_column("Your pity (of hard pity)")
    for banner in listing.banners:
        closes = (
            Text("never", style="dim")
            if banner.end is None or banner.seconds_left is None
            else Text(f"{banner.end:%Y-%m-%d %H:%M} UTC\nin {describe_wait(timedelta(seconds=banner.seconds_left))}")
        )
        row: list[Text | str] = [
            Text.assemble(safe(banner.name, "bold"), "\n", safe(banner.banner_id, "dim")),
            closes,
            _featured(view, banner),
            f"{banner.single_cost.amount:,} / {banner.ten_cost.amount:,} {banner.ten_cost.currency}",
        ]
        if standings:
            row.append(_standing(banner.standing) if banner.standing is not None else Text("–", style="dim"))
        table.add_row(*row)
    view.console.print(table)
    view.console.print("  `faye summon --banner ID` pulls on one; banners of one group share pity.", style="dim")


def show_history(history: PullHistory, view: View) -> None:
    if history.total == 0:
        view.console.print("No pulls on record match. `faye summon` makes one; `faye banners` lists the banners.")
        return
    table = Table(box=box.SIMPLE_HEAVY)
    table.add_column("#", justify="right", style="dim")
    table.add_column("When (UTC)", style="dim")
    table.add_column("Banner")
    table.add_column("Esprit")
    table.add_column("Rarity")
    table.add_column("Pity before", style="dim")
    for pull in history.pulls:
        name = name_text(view, pull.name, pull.tier)
        if pull.featured:
            name.append(" ◈", style="bold yellow")
        table.add_row(
            str(pull.n),
            f"{pull.at:%Y-%m-%d %H:%M}",
            safe(pull.banner),
            name,
            rarity_text(view, pull.tier),
            safe(" · ".join(f"{tier} {n}" for tier, n in pull.pity_before.items())),
        )
    view.console.print(table)
    view.console.print(
        f"  Page {history.page} of {history.pages} · {plural(history.total, 'pull')} · ◈ featured", style="dim"
    )


def share(value: float) -> str:
    """'88%'; a share short of 0 or 1 keeps the decimals that say so ('99.8%', 'over 99.99%', never '100%')."""
    for places in range(3):
        text = f"{value:.{places}%}"
        if value in (0.0, 1.0) or text not in (f"{0:.{places}%}", f"{1:.{places}%}"):
            return text
    return "under 0.01%" if value < 0.5 else "over 99.99%"


def placing(hit: HitLuck) -> str:
    """'later than 88% of players' (sooner is the share who get one in fewer pulls), or, for a quick one,
    'at least as soon as 97% of players'."""
    if hit.sooner >= 0.5:
        return f"later than {share(hit.sooner)} of players"
    return f"at least as soon as {share(1 - hit.sooner)} of players"


def _tier(view: View, luck: TierLuck) -> None:
    low, high = luck.interval
    verdict = (
        Text("within the published odds", style="green")
        if luck.consistent
        else Text("luckier than the odds" if luck.rate > luck.published_rate else "unluckier than the odds", "yellow")
    )
    view.console.print(
        Text.assemble(
            rarity_text(view, luck.tier),
            f" or higher: {luck.count:,} in {plural(luck.pulls, 'pull')}, {luck.rate:.2%} "
            f"(95 % interval {low:.2%}–{high:.2%}); published {luck.published_rate:.2%} · ",
            verdict,
        )
    )
    if not luck.hits:
        view.console.print(f"  None yet; one takes {luck.mean_pulls:.1f} pulls on average.", style="dim")
        return
    last = luck.hits[-1]
    view.console.print(
        Text.assemble(
            f"  Your last {luck.tier} or higher (",
            name_text(view, last.name, last.tier),
            f") took {plural(last.pulls, 'pull')}: {placing(last)} (the average is {luck.mean_pulls:.1f}).",
        )
    )
    table = Table(box=box.SIMPLE, show_header=True, padding=(0, 1))
    table.add_column("#", justify="right", style="dim")
    table.add_column("Esprit")
    table.add_column("Pulls", justify="right")
    table.add_column("Took")
    for hit in luck.hits[-SHOWN_HITS:]:
        table.add_row(str(hit.n), name_text(view, hit.name, hit.tier), str(hit.pulls), placing(hit))
    view.console.print(table)


def show_luck(report: LuckReport, view: View) -> None:
    where = Text(" on every banner") if report.banner is None else Text.assemble(" on ", safe(report.banner, "bold"))
    pulls = plural(report.pulls, "pull")
    view.console.print(Text.assemble("Luck of ", safe(report.user_id, "bold"), where, f": {pulls}"))
    if report.pulls == 0:
        view.console.print("No pulls on record yet. `faye summon` makes one.")
        return
    for luck in report.tiers:
        _tier(view, luck)
    if report.featured_chances:
        got = report.featured_hits / report.featured_chances
        promised = "" if report.featured_share is None else f"; the rule gives {report.featured_share:.1%} long-run"
        view.console.print(
            f"Featured: {report.featured_hits:,} of {plural(report.featured_chances, 'pull')} on featured tiers "
            f"({got:.1%}){promised}."
        )


def show_prune(prune: PullPrune, view: View) -> None:
    days = view.config.retention_days
    rows = plural(prune.rows, "pull record")
    cut = f"{prune.before:%Y-%m-%d %H:%M} UTC"
    if prune.applied:
        view.console.print(f"[bold green]✓[/] Deleted {rows} from before {cut} (older than {days} days).")
        return
    view.console.print(
        f"{rows} from before {cut} (older than {days} days) would be deleted; each player's latest pull stays."
    )
    view.console.print("  Nothing was deleted. Add --yes to delete them.", style="dim")
