"""Filters, sorts and pages shared by the two lists of Esprits: a player's inventory and the auction house."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Row, Select, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from faye.config import GameConfig
from faye.errors import InvalidArgument
from faye.inputs import PAGE
from faye.models import EspritData

AnySelect = Select[*tuple[Any, ...]]
S = TypeVar("S", bound=AnySelect)


def require_choice(value: str, choices: Sequence[str], field: str) -> None:
    if value not in choices:
        raise InvalidArgument(f"unknown {field} {value!r}; expected one of {', '.join(choices)}", field=field)


def rarity_rank(config: GameConfig) -> Any:
    """A SQL expression ranking EspritData.rarity by tier: 0 for the lowest, -1 for a tier no longer configured."""
    return case(config.tier_rank, value=EspritData.rarity, else_=-1)


@dataclass(frozen=True)
class EspritFilter:
    """A rarity tier (matched case-insensitively) and a case-insensitive piece of the name, both optional."""

    tier: str | None = None
    search: str | None = None

    @classmethod
    def parse(cls, config: GameConfig, rarity: str | None, search: str | None) -> EspritFilter:
        tier = None
        if rarity is not None:
            tier = config.resolve_tier(rarity)
            if tier is None:
                raise InvalidArgument(
                    f"unknown rarity {rarity!r}; expected one of {', '.join(config.tier_names)}", field="rarity"
                )
        return cls(tier=tier, search=search or None)

    def apply(self, stmt: S) -> S:
        """Narrow a statement that joins EspritData."""
        if self.tier is not None:
            stmt = stmt.where(col(EspritData.rarity) == self.tier)
        if self.search:
            stmt = stmt.where(func.lower(EspritData.name).contains(self.search.lower(), autoescape=True))
        return stmt


@dataclass(frozen=True)
class Page:
    rows: Sequence[Row[*tuple[Any, ...]]]
    number: int
    pages: int
    total: int
    size: int


def require_page(page: int) -> None:
    """InvalidArgument unless `page` is within faye.inputs.PAGE (an offset far past the end is refused too)."""
    PAGE.check(page)


async def fetch_page(session: AsyncSession, stmt: AnySelect, order: Sequence[Any], page: int, size: int) -> Page:
    """One page of an ordered statement, with the total it was cut from; a page past the end is empty."""
    total = (await session.execute(select(func.count()).select_from(stmt.subquery()))).scalar_one()
    rows = (await session.execute(stmt.order_by(*order).offset((page - 1) * size).limit(size))).all()
    return Page(rows=rows, number=page, pages=max(1, math.ceil(total / size)), total=total, size=size)
