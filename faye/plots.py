"""Figures for designers, drawn off-screen (matplotlib's object API on the Agg canvas, no pyplot state).

Each function takes a report of `faye.gacha` and returns a `Chart`: a notebook shows it as a PNG, `save` writes
it. Only the commands and notebooks that draw import this module, so nothing else pays for matplotlib.
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from faye.gacha.economy import EconomyReport
from faye.gacha.exact import Disclosure, PityChain
from faye.gacha.progression_sim import ProgressionReport
from faye.gacha.simulate import SummonReport

OBSERVED = "#3B82F6"
EXACT = "#111827"


def _figure(width: float, height: float) -> Figure:
    figure = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(figure)
    return figure


class Chart:
    """A drawn figure. Notebooks display it through `_repr_png_`; `figure` is there to adjust it further."""

    def __init__(self, figure: Figure) -> None:
        self.figure = figure

    def png(self) -> bytes:
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=110)
        return buffer.getvalue()

    def _repr_png_(self) -> bytes:
        return self.png()


def summons_chart(report: SummonReport) -> Chart:
    """Rates simulated against exact, then for each pity tier the pulls-to-get histogram and CDF."""
    drawn = [tier for tier in report.tiers if tier.histogram]
    figure = _figure(11, 3.4 * (1 + len(drawn)))
    axes = figure.subplots(1 + len(drawn), 2, squeeze=False)
    rates, errors = axes[0]
    names = [tier.name for tier in report.tiers]
    x = np.arange(len(names))
    rates.bar(x - 0.2, [t.observed_rate for t in report.tiers], 0.4, color=OBSERVED, label="simulated")
    rates.bar(x + 0.2, [t.exact_rate for t in report.tiers], 0.4, color=EXACT, label="exact")
    rates.set(xticks=x, xticklabels=names, yscale="log", ylabel="share of pulls", title="Rates")
    rates.legend()
    rates.tick_params(axis="x", labelrotation=20)
    low = [t.exact_rate - t.ci95[0] for t in report.tiers]
    high = [t.ci95[1] - t.exact_rate for t in report.tiers]
    gaps = [t.observed_rate - t.exact_rate for t in report.tiers]
    errors.errorbar(x, gaps, yerr=[low, high], fmt="o", color=OBSERVED, ecolor="#9CA3AF", capsize=4)
    errors.axhline(0, color=EXACT, linewidth=1)
    errors.set(xticks=x, xticklabels=names, ylabel="simulated - exact", title="Difference, with the 95 % interval")
    errors.tick_params(axis="x", labelrotation=20)
    what = "first one from a fresh account" if report.fresh else "between two of them"
    for (histogram, cdf), tier in zip(axes[1:], drawn, strict=True):
        observed = np.array(tier.histogram, dtype=float) / max(sum(tier.histogram), 1)
        exact = np.array(tier.exact_pmf)
        histogram.bar(np.arange(1, observed.size + 1), observed, width=1.0, color=OBSERVED, label="simulated")
        histogram.step(np.arange(1, exact.size + 1), exact, where="mid", color=EXACT, label="exact")
        histogram.set(xlabel="pulls", ylabel="share", title=f"{tier.name} or higher: pulls to get one ({what})")
        histogram.legend()
        _cdf(cdf, observed, OBSERVED, "simulated")
        _cdf(cdf, exact, EXACT, "exact")
        cdf.set(xlabel="pulls", ylabel="P(got one by then)", title=f"{tier.name} or higher: CDF")
        cdf.legend(loc="lower right")
    figure.suptitle(f"{report.pulls:,} simulated pulls ({report.mode}), seed {report.seed}")
    return Chart(figure)


def _cdf(axes: Axes, pmf: np.ndarray, color: str, label: str) -> None:
    axes.step(np.arange(1, pmf.size + 1), np.cumsum(pmf), where="post", color=color, label=label)


def odds_chart(chain: PityChain, disclosure: Disclosure) -> Chart:
    """Pulls to get each pity tier from a fresh account (CDF), and what a 10-pull holds."""
    figure = _figure(11, 4)
    cdf, ten = figure.subplots(1, 2)
    passages = chain.passages(chain.fresh)
    for tier in chain.states.pity_tiers or (chain.states.tiers - 1,):
        _cdf(cdf, passages[tier].pmf, f"C{tier}", f"{disclosure.tiers[tier].name} or higher")
    cdf.set(xlabel="pulls from a fresh account", ylabel="P(got one by then)", title="Pulls to get one")
    cdf.legend(loc="lower right")
    names = [odds.name for odds in disclosure.tiers]
    x = np.arange(len(names))
    ten.bar(x - 0.2, [t.ten_pull_at_least_one_fresh for t in disclosure.tiers], 0.4, label="fresh account")
    ten.bar(x + 0.2, [t.ten_pull_at_least_one for t in disclosure.tiers], 0.4, label="long run")
    ten.set(xticks=x, xticklabels=names, ylabel="P(at least one, or higher)", title="A 10-pull holds", ylim=(0, 1.05))
    ten.tick_params(axis="x", labelrotation=20)
    ten.legend()
    return Chart(figure)


def economy_chart(report: EconomyReport) -> Chart:
    """A free player's summon currency, the share who got each tier by each day, and pulls per day."""
    figure = _figure(11, 7)
    (balance, tiers), (pulls, level) = figure.subplots(2, 2)
    days = np.arange(1, report.days + 1)
    flow = next(f for f in report.currencies if f.currency == report.currency)
    balance.plot(days, flow.balance, color=OBSERVED)
    balance.set(xlabel="day", ylabel=f"mean {report.currency}", title=f"{report.currency} at the end of each day")
    for milestone in report.tiers[1:]:
        tiers.plot(days, milestone.by_day, label=f"{milestone.name}+")
    tiers.set(xlabel="day", ylabel="share of players", title="Got one (tier or higher) by day", ylim=(0, 1.02))
    tiers.legend(loc="lower right", fontsize="small")
    pulls.bar(days, report.pulls_per_day, width=1.0, color=OBSERVED)
    pulls.set(xlabel="day", ylabel="mean pulls", title="Pulls per player per day")
    level.plot(days, report.level, color=EXACT)
    level.set(xlabel="day", ylabel="mean level", title="Level")
    figure.suptitle(f"{report.players:,} free players, strategy {report.strategy!r}, seed {report.seed}")
    return Chart(figure)


def progression_chart(report: ProgressionReport) -> Chart:
    """The day each level is reached (median, and the band from p10 to p90) with a marker for each ascension
    rank, then the faylen and virelite spent on the Esprit by each level. Milestones fewer than half the
    players reached are left out of the median line (and beyond the band where fewer than 90 % did)."""
    figure = _figure(11, 4.2)
    days, spent = figure.subplots(1, 2)
    levels = np.array([m.value for m in report.levels])
    median = np.array([np.nan if m.day.p50 is None else m.day.p50 for m in report.levels], dtype=float)
    low = np.array([np.nan if m.day.p10 is None else m.day.p10 for m in report.levels], dtype=float)
    high = np.array([report.days if m.day.p90 is None else m.day.p90 for m in report.levels], dtype=float)
    days.fill_between(levels, low, high, step="post", color=OBSERVED, alpha=0.2, label="p10–p90")
    days.step(levels, median, where="post", color=OBSERVED, label="median")
    caps = [report.levels[0].level_cap, *(rank.level_cap for rank in report.ranks)]
    for rank, cap in zip(report.ranks, caps, strict=False):  # drawn at the cap the rank lifts
        if rank.day.p50 is not None:
            days.plot(cap, rank.day.p50, marker="D", color=EXACT, linestyle="none")
            days.annotate(f"rank {rank.value}", (cap, rank.day.p50), textcoords="offset points", xytext=(4, -10))
    days.set(xlabel="level", ylabel="day reached", title="Day each level is reached (◆ median ascension)")
    days.set_ylim(0, report.days * 1.02)
    days.legend(loc="upper left")
    faylen = np.array([np.nan if m.faylen.p50 is None else m.faylen.p50 for m in report.levels], dtype=float)
    virelite = np.array([np.nan if m.virelite.p50 is None else m.virelite.p50 for m in report.levels], dtype=float)
    spent.step(levels, faylen, where="post", color=OBSERVED)
    spent.set(xlabel="level", ylabel="median faylen spent", title="Spent on the Esprit by each level")
    other = spent.twinx()
    other.step(levels, virelite, where="post", color=EXACT, linestyle="--")
    other.set_ylabel("median virelite spent (dashed)")
    figure.suptitle(
        f"One {report.rarity} Esprit, {report.players:,} free players over {report.days:,} days, seed {report.seed}"
    )
    return Chart(figure)


def win_rate_heatmap(rates: list[list[float]], labels: list[str], groups: list[str], title: str) -> Chart:
    """A square matrix of rates from 0 to 1 (row against column; faye sim battles' win rates), coloured around
    1/2, with a line between consecutive runs of the same `groups` entry (each row's rarity tier)."""
    size = len(labels)
    side = min(4 + 0.22 * size, 16)
    figure = _figure(side + 1.5, side)
    axes = figure.subplots()
    image = axes.imshow(np.array(rates, dtype=float), cmap="RdBu", vmin=0.0, vmax=1.0, interpolation="nearest")
    ticks = np.arange(size)
    font = "xx-small" if size > 30 else "small"
    axes.set_xticks(ticks, labels, rotation=90, fontsize=font)
    axes.set_yticks(ticks, labels, fontsize=font)
    axes.set(xlabel="defender", ylabel="attacker", title=title)
    for edge in (i for i in range(1, size) if groups[i] != groups[i - 1]):
        axes.axhline(edge - 0.5, color=EXACT, linewidth=0.8)
        axes.axvline(edge - 0.5, color=EXACT, linewidth=0.8)
    figure.colorbar(image, ax=axes, shrink=0.8, label="attacker's win rate (draw = 1/2)")
    return Chart(figure)


def copies_chart(exact_cdf: list[float], simulated_cdf: list[float], title: str, budget: int | None = None) -> Chart:
    """P(done within n pulls) against n, exact and simulated (faye sim banner), with the budget marked."""
    figure = _figure(8, 4.2)
    axes = figure.subplots()
    pulls = np.arange(1, len(exact_cdf) + 1)
    axes.step(np.arange(1, len(simulated_cdf) + 1), simulated_cdf, where="post", color=OBSERVED, label="simulated")
    axes.step(pulls, exact_cdf, where="post", color=EXACT, linestyle="--", label="exact")
    if budget is not None:
        axes.axvline(budget, color="#9CA3AF", linewidth=1, label=f"budget {budget:,}")
    axes.set(xlabel="pulls from a new account", ylabel="P(done by then)", title=title, ylim=(0, 1.02))
    axes.legend(loc="lower right")
    return Chart(figure)
