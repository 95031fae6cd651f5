"""XP into Esprits: the active Esprit's share of what its player earns, and training. faye.progression holds the
rules; this applies them to a row, inside the caller's transaction (the caller holds the player's lock)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, select, update

from faye import progression
from faye.config import GameConfig
from faye.db import in_session
from faye.models import ESPRITS, EspritData, table_of
from faye.progression import Growth
from faye.results import PartnerGrowth

_data = table_of(EspritData)
_base = (
    _data.c.base_hp.label("hp"),
    _data.c.base_attack.label("attack"),
    _data.c.base_defense.label("defense"),
    _data.c.base_speed.label("speed"),
    _data.c.base_magic.label("magic"),
    _data.c.base_magic_resist.label("magic_resist"),
    _data.c.base_crit_rate.label("crit_rate"),
    _data.c.base_dodge.label("dodge"),
)


@dataclass(frozen=True, slots=True)
class Standing:
    """What an Esprit's growth depends on, read in one statement."""

    id: int
    owner_id: str | None
    name: str
    rarity: str
    level: int
    xp: int
    ascension: int
    base: dict[str, float]


_standing = (
    select(
        ESPRITS.c.id,
        ESPRITS.c.owner_id,
        ESPRITS.c.current_level,
        ESPRITS.c.current_xp,
        ESPRITS.c.ascension,
        _data.c.name,
        _data.c.rarity,
        *_base,
    )
    .join(_data, _data.c.esprit_id == ESPRITS.c.esprit_data_id)
    .where(ESPRITS.c.id == bindparam("id"))
)


def standing_sync(conn: Connection, esprit_id: int) -> Standing | None:
    row = conn.execute(_standing, {"id": esprit_id}).one_or_none()
    if row is None:
        return None
    values = row._mapping
    return Standing(
        id=int(values["id"]),
        owner_id=values["owner_id"],
        name=values["name"],
        rarity=values["rarity"],
        level=int(values["current_level"]),
        xp=int(values["current_xp"]),
        ascension=int(values["ascension"]),
        base={name: values[name] for name in ("hp", "attack", "defense", "speed", "magic", "magic_resist")}
        | {"crit_rate": values["crit_rate"], "dodge": values["dodge"]},
    )


def apply_sync(conn: Connection, config: GameConfig, esprit: Standing, offered: int) -> Growth:
    """Offer `offered` XP to `esprit` and store its new level, XP and HP (full HP at a new level)."""
    rules = config.progression
    cap = progression.level_cap(rules, esprit.ascension)
    grown = progression.gain(rules, esprit.rarity, esprit.level, esprit.xp, offered, cap)
    if grown.xp_gained:
        values: dict[str, int] = {"current_level": grown.level, "current_xp": grown.xp}
        if grown.levels_gained:
            values["current_hp"] = progression.max_hp(rules, esprit.rarity, esprit.base, grown.level, esprit.ascension)
        conn.execute(update(ESPRITS).where(ESPRITS.c.id == esprit.id).values(values))
    return grown


def share_with_active_sync(
    conn: Connection, config: GameConfig, user_id: str, active_id: int | None, player_xp: int
) -> PartnerGrowth | None:
    """The share (progression.json's active_share, rounded down) of `player_xp` that the player's active Esprit
    `active_id` (read under the player's lock) gains; None when the player has none."""
    if active_id is None:
        return None
    esprit = standing_sync(conn, active_id)
    if esprit is None or esprit.owner_id != user_id:  # pragma: no cover - the audit's active check
        return None
    grown = apply_sync(conn, config, esprit, math.floor(player_xp * config.progression.active_share))
    return PartnerGrowth(
        id=esprit.id,
        name=esprit.name,
        xp_gained=grown.xp_gained,
        levels_gained=grown.levels_gained,
        level=grown.level,
    )


standing = in_session(standing_sync)
apply = in_session(apply_sync)
share_with_active = in_session(share_with_active_sync)
