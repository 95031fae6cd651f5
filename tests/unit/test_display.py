"""faye.display: what both front-ends (and the renderer) show alike is decided once, and each of them uses it."""

from __future__ import annotations

import dataclasses
import io
from typing import Any

import pytest
from rich.console import Console

from cli import output
from cli.runtime import View
from discord_frontend import embeds
from faye.config import GameConfig
from faye.display import medal, pity_counters, rarest_pulls, standouts, wallet
from faye.render.data import summon_data
from faye.results import Balance, Leaderboard, LeaderboardEntry, SummonResult
from tests.render.samples import TEN_PULL, balance, summon_result

ALL_RARE = ("blazewing_hawk", "mistveil_heron", "virelite_golem") * 3 + ("blazewing_hawk",)
ONE_LEGENDARY = ("solheart_phoenix",)


def cli_text(show: Any, result: Any, config: GameConfig) -> str:
    """What a CLI presenter prints, without colour."""
    buffer = io.StringIO()
    show(result, View(Console(file=buffer, width=200, color_system=None), config))
    return buffer.getvalue()


def cli_stars(result: SummonResult, config: GameConfig) -> set[int]:
    """Indexes of the table rows the CLI marks ★."""
    rows = [line for line in cli_text(output.show_summon, result, config).splitlines() if line.strip()[:1].isdigit()]
    assert len(rows) == len(result.esprits)
    return {i for i, row in enumerate(rows) if "★" in row}


def discord_stars(result: SummonResult, config: GameConfig) -> set[int]:
    """Indexes of the embed lines Discord marks ★."""
    lines = str(embeds.summon(result, config).to_dict()["description"]).splitlines()
    assert len(lines) == len(result.esprits)
    return {i for i, line in enumerate(lines) if "★" in line}


# --- the rarest pulls -------------------------------------------------------------------------------------


def test_standouts_are_the_rarest_pulls_when_some_pull_is_lower() -> None:
    assert standouts([0, 3, 1, 3, 2]) == {1, 3}
    assert standouts([5, 0]) == {0}


@pytest.mark.parametrize("ranks", [[], [4], [1] * 10, [5] * 10], ids=["none", "single", "ten-rare", "ten-top"])
def test_nothing_stands_out_when_every_pull_shares_one_tier(ranks: list[int]) -> None:
    assert standouts(ranks) == frozenset()


@pytest.mark.parametrize("pulls", [TEN_PULL, ALL_RARE, ONE_LEGENDARY], ids=["mixed", "all-rare", "single"])
def test_terminal_discord_and_the_reveal_board_mark_the_same_pulls(config: GameConfig, pulls: tuple[str, ...]) -> None:
    result = summon_result(config, pulls)
    marked = rarest_pulls(result, config.tier_rank)
    assert cli_stars(result, config) == marked
    assert discord_stars(result, config) == marked
    assert summon_data(result, config).highlighted == marked


def test_a_mixed_ten_pull_marks_its_top_tier(config: GameConfig) -> None:
    result = summon_result(config, TEN_PULL)
    top = max(config.tier_rank[e.rarity] for e in result.esprits)
    expected = {i for i, e in enumerate(result.esprits) if config.tier_rank[e.rarity] == top}
    assert rarest_pulls(result, config.tier_rank) == expected
    assert expected  # the sample has a top tier above the rest


def test_ten_of_a_kind_marks_nothing(config: GameConfig) -> None:
    """The terminal and Discord used to star all ten Rares while the reveal board highlighted none."""
    result = summon_result(config, ALL_RARE)
    assert cli_stars(result, config) == set()
    assert discord_stars(result, config) == set()


# --- pity caps travel with the result ---------------------------------------------------------------------


def test_pity_counters_read_the_caps_from_the_result(config: GameConfig) -> None:
    result = dataclasses.replace(
        summon_result(config), pity={"Epic": 3, "Legendary": 41}, hard_pity={"Epic": 7, "Legendary": 55}
    )
    assert pity_counters(result) == "Epic 3/7 · Legendary 41/55"
    assert "Epic 3/7 · Legendary 41/55" in cli_text(output.show_summon, result, config)
    fields = {f["name"]: f["value"] for f in embeds.summon(result, config).to_dict()["fields"]}
    assert fields["Pity (pulls since last / hard pity)"] == "Epic 3/7 · Legendary 41/55"


def test_pity_counter_without_a_cap_shows_the_count_alone(config: GameConfig) -> None:
    result = dataclasses.replace(summon_result(config), pity={"Epic": 3}, hard_pity={})
    assert pity_counters(result) == "Epic 3"


# --- wallets and medals -----------------------------------------------------------------------------------


def test_wallet_lists_every_currency_in_one_order() -> None:
    assert wallet(balance()) == "🪙 12,480 faylen  💎 35 virelite  ✦ 1,600 gems"
    empty = Balance(user_id="x", username="X", faylen=0, virelite=0, gems=0, level=1, xp=0)
    assert wallet(empty) == "🪙 0 faylen  💎 0 virelite  ✦ 0 gems"


def test_both_front_ends_show_the_same_wallet(config: GameConfig) -> None:
    line = wallet(balance())
    assert line in cli_text(output.show_balance, balance(), config)
    fields = {f["name"]: f["value"] for f in embeds.summon(summon_result(config), config).to_dict()["fields"]}
    assert fields["Wallet"] == line


def test_medals_for_the_top_three_only() -> None:
    assert [medal(rank) for rank in range(1, 5)] == ["🥇", "🥈", "🥉", None]


def test_both_leaderboards_use_the_medals(config: GameConfig) -> None:
    board = Leaderboard(
        by="xp",
        entries=[
            LeaderboardEntry(rank=rank, user_id=f"p{rank}", username=f"P{rank}", value=100 - rank, level=1)
            for rank in range(1, 5)
        ],
    )
    rows = [line for line in cli_text(output.show_leaderboard, board, config).splitlines() if line.strip()][-4:]
    terminal = [row.split()[0] for row in rows]
    assert terminal == ["🥇", "🥈", "🥉", "4"]
    lines = str(embeds.leaderboard(board).to_dict()["description"]).splitlines()
    assert [line.split()[0] for line in lines] == ["🥇", "🥈", "🥉", "`"]
