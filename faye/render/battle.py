"""A fought battle as one image: both teams' mini cards facing each other across a VS, the winner marked.

The player's team stands on the left, the enemy (a trial's stage, a duel's defence) on the right, in slot order,
each card over a bar of the HP it ended with. The winning side's cards get a halo and a WINNER badge, and the
board is lit in the outcome's colour (gold for a win, red for a loss, silver for a draw); an Esprit that fell is
dimmed, with a KO badge. Everything drawn comes from the report alone (the log's last `hp_after` of each
fighter is its final HP), so the same report always gives the same image.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from PIL import Image, ImageChops

from faye.config import GameConfig
from faye.render.card import MINI, draw_bar, mini_image
from faye.render.colors import INK, MUTED, PANEL, RGB, alpha, hex_rgb, lighten
from faye.render.data import CardFace, face_of, rarity_of
from faye.render.fonts import Face, draw_line, fit_line
from faye.render.layers import Size, halo, overlay, pen
from faye.render.summon import GAP, HALO, MARGIN, backdrop
from faye.results import BattleFighter, BattleReport

HEADER: Final = 112
"""The outcome, what was fought, and each side's label above the cards."""
VERSUS: Final = 120
"""The gap between the two teams, where VS stands."""
BAR: Final = 12
BAR_GAP: Final = 10
FOOTER: Final = 24
"""Below the HP bars: each fighter's HP in numbers."""
SIDES: Final = ("attacker", "defender")
OUTCOME_COLOURS: Final[Mapping[str, RGB]] = {"attacker": (242, 193, 78), "defender": (240, 80, 80)}
DRAW_COLOUR: Final = lighten(PANEL, 0.55)
WINNER_BADGE: Final = "WINNER"
KO_BADGE: Final = "KO"
HP_COLOUR: Final[RGB] = (91, 211, 122)
KO_DIM: Final = 150
"""Alpha of the dark veil over a fallen Esprit's card."""


@dataclass(frozen=True)
class Fighter:
    face: CardFace
    level: int
    hp: int
    """HP at the end of the battle."""
    max_hp: int


@dataclass(frozen=True)
class BattleData:
    title: str
    """'VICTORY', 'DEFEAT' or 'DRAW', as the player (always the attacker) sees it."""
    subtitle: str
    """What was fought: 'TRIAL 2 · MOSSY FORD · 7 ROUNDS', 'DUEL · 12 ROUNDS'."""
    labels: tuple[str, str]
    teams: tuple[tuple[Fighter, ...], tuple[Fighter, ...]]
    winner: str
    """'attacker', 'defender' or 'draw'."""


TITLES: Final = {"attacker": "VICTORY", "defender": "DEFEAT", "draw": "DRAW"}


def final_hp(report: BattleReport) -> tuple[list[int], list[int]]:
    """Each fighter's HP when the battle ended, per side in slot order: the last `hp_after` the log gives it,
    its max HP if nothing ever hit or healed it."""
    hp = ([f.hp for f in report.attackers], [f.hp for f in report.defenders])
    for action in report.log:
        hits = action.get("hits")
        for hit in hits if isinstance(hits, list | tuple) else ():
            side, slot, after = hit["side"], hit["slot"], hit["hp_after"]
            hp[SIDES.index(side)][slot] = int(after)
    return hp


def _face(fighter: BattleFighter, config: GameConfig) -> CardFace:
    """The species' face from the game data; a bare one (name, tier, element, role) if it left esprits.json."""
    known = config.esprits_by_id.get(fighter.esprit_id)
    if known is not None:
        return face_of(known, config)
    return CardFace(
        fighter.esprit_id, fighter.name, rarity_of(fighter.tier, config), fighter.element, fighter.role, "", ()
    )


def _subtitle(report: BattleReport, config: GameConfig) -> str:
    rounds = f"{report.rounds} ROUND" + ("" if report.rounds == 1 else "S")
    if report.kind != "trial" or report.stage is None:
        return f"DUEL · {rounds}"
    stages = config.battle.trials.stages
    name = stages[report.stage - 1].name if 1 <= report.stage <= len(stages) else ""
    return " · ".join(part for part in (f"TRIAL {report.stage}", name.upper(), rounds) if part)


def battle_data(report: BattleReport, config: GameConfig) -> BattleData:
    hp = final_hp(report)
    teams = tuple(
        tuple(
            Fighter(_face(fighter, config), fighter.level, max(0, left), fighter.hp)
            for fighter, left in zip(team, hp[i], strict=True)
        )
        for i, team in enumerate((report.attackers, report.defenders))
    )
    right = "DEFENDER" if report.kind == "duel" else "ENEMIES"
    return BattleData(
        title=TITLES.get(report.winner, report.winner.upper()),
        subtitle=_subtitle(report, config),
        labels=("YOUR TEAM", right),
        teams=(teams[0], teams[1]),
        winner=report.winner,
    )


def team_width(size: int) -> int:
    return max(1, size) * (MINI[0] + GAP) - GAP


def board_size(data: BattleData) -> Size:
    widest = max(len(team) for team in data.teams)
    width = 2 * MARGIN + 2 * team_width(widest) + VERSUS
    return width, HEADER + MINI[1] + BAR_GAP + BAR + FOOTER + MARGIN


def _header(img: Image.Image, data: BattleData, color: RGB, lefts: tuple[int, int]) -> None:
    draw = pen(img)
    middle = img.width / 2
    draw_line(draw, data.title, Face.TITLE, 34, (middle, 48), alpha(lighten(color, 0.2), 255), anchor="ms")
    subtitle = fit_line(data.subtitle, Face.LABEL, img.width - 2 * MARGIN, 14, 10)
    draw_line(
        draw, subtitle.lines[0], Face.LABEL, subtitle.size, (middle, 72), alpha(MUTED, 255), anchor="ms", tracking=2
    )
    for side, (label, left) in enumerate(zip(data.labels, lefts, strict=True)):
        won = data.winner == SIDES[side]
        ink = alpha(lighten(color, 0.3) if won else INK, 255)
        draw_line(draw, label, Face.LABEL, 13, (left, HEADER - 12), ink, tracking=2)


def _fighter(img: Image.Image, fighter: Fighter, xy: tuple[int, int], assets: Path, *, won: bool) -> None:
    x, y = xy
    color = hex_rgb(fighter.face.rarity.color)
    fallen = fighter.hp <= 0
    if won:
        overlay(img, halo(MINI, 16, lighten(color, 0.3), HALO, 1.6), (x - HALO, y - HALO))
    badge = KO_BADGE if fallen else WINNER_BADGE if won else None
    card = mini_image(fighter.face, assets, level=fighter.level, badge=badge)
    if fallen:
        veil = Image.new("RGBA", MINI, (*PANEL, 255))
        veil.putalpha(ImageChops.multiply(card.getchannel("A"), Image.new("L", MINI, KO_DIM)))
        card.alpha_composite(veil)
    overlay(img, card, (x, y))
    top = y + MINI[1] + BAR_GAP
    ratio = fighter.hp / fighter.max_hp if fighter.max_hp else 0.0
    draw_bar(img, (x, top, MINI[0], BAR), ratio, HP_COLOUR)
    text = f"{fighter.hp:,} / {fighter.max_hp:,} HP"
    draw_line(pen(img), text, Face.LABEL, 12, (x + MINI[0] / 2, top + BAR + 16), alpha(INK, 255), anchor="ms")


def battle_image(data: BattleData, assets: Path) -> Image.Image:
    """RGB board: the player's team on the left, the enemy's on the right, VS between them."""
    size = board_size(data)
    color = OUTCOME_COLOURS.get(data.winner, DRAW_COLOUR)
    img = backdrop(size, color).copy()
    half = (size[0] - VERSUS) // 2
    lefts = (half - team_width(len(data.teams[0])), half + VERSUS)
    _header(img, data, color, lefts)
    for side, team in enumerate(data.teams):
        won = data.winner == SIDES[side]
        for slot, fighter in enumerate(team):
            _fighter(img, fighter, (lefts[side] + slot * (MINI[0] + GAP), HEADER), assets, won=won)
    middle = (size[0] / 2, HEADER + MINI[1] / 2)
    draw_line(pen(img), "VS", Face.TITLE, 40, middle, alpha(INK, 255), anchor="mm", shadow=(0, 0, 0, 170))
    return img
