"""Rankings by level, XP, faylen, collection size or duel rating (only players who have battled or saved a
defence team), ties broken by who joined first, then by id."""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import func, select
from sqlmodel import col

from faye.choices import LEADERBOARD_RANKINGS
from faye.errors import InvalidArgument
from faye.inputs import LEADERBOARD_LIMIT
from faye.models import BATTLERS, USERS, UserEsprit, table_of
from faye.results import Leaderboard, LeaderboardEntry
from faye.services.context import ServiceContext

RANKINGS: Final = LEADERBOARD_RANKINGS
MAX_LIMIT: Final = LEADERBOARD_LIMIT.max


class LeaderboardService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def top(self, by: str = "level", limit: int = 10) -> Leaderboard:
        if by not in RANKINGS:
            raise InvalidArgument(f"unknown ranking {by!r}; expected one of {', '.join(RANKINGS)}", field="by")
        LEADERBOARD_LIMIT.check(limit)
        users = USERS.c
        collection = func.count(col(UserEsprit.id)).label("collection")
        value: Any
        source: Any = USERS.outerjoin(table_of(UserEsprit), col(UserEsprit.owner_id) == users.user_id)
        if by == "rating":
            value = func.max(BATTLERS.c.rating)
            keys: tuple[Any, ...] = (value.desc(),)
            source = source.join(BATTLERS, BATTLERS.c.user_id == users.user_id)
        elif by == "collection":
            value = collection
            keys = (collection.desc(),)
        else:
            value = users[by]
            keys = (users.level.desc(), users.xp.desc()) if by == "level" else (users[by].desc(),)
        stmt = (
            select(users.user_id, users.username, users.level, value.label("value"))
            .select_from(source)
            .group_by(users.user_id, users.username, users.level, users.xp, users.faylen, users.created_at)
            .order_by(*keys, users.created_at, users.user_id)
            .limit(limit)
        )
        async with self._ctx.db.read() as session:
            rows = (await session.execute(stmt)).all()
        entries = [
            LeaderboardEntry(rank=i, user_id=r.user_id, username=r.username, value=int(r.value), level=r.level)
            for i, r in enumerate(rows, start=1)
        ]
        return Leaderboard(by=by, entries=entries)
