"""Per-player rate limits (faye.limits), counted in the database so every front-end and every process shares them.

A window opens at a player's first action and holds `count` actions for `seconds`; the next action after it opens
a new one. Each take is one INSERT ... ON CONFLICT DO UPDATE per limit, conditional on the window having room or
having ended, so two processes taking at once cannot both get the last place (the row is the lock).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import case, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from faye.errors import RateLimited
from faye.limits import ALL_COMMANDS
from faye.models import RateBucket, table_of
from faye.services.context import ServiceContext

BUCKETS = table_of(RateBucket)


class LimitService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        self._limits = ctx.rate_limits

    async def take(self, user_id: str, *actions: str) -> None:
        """Count one of each of `actions` that has a limit, all or none. Refuses RateLimited (with `retry_at`, the
        first instant every one of them has room again) when one has no room left; then nothing is counted.
        Writes nothing when none of them is limited (no limits configured: the default)."""
        wanted = [(action, self._limits[action]) for action in dict.fromkeys(actions) if action in self._limits]
        if not wanted:
            return
        now = self._ctx.clock.now()
        db = self._ctx.db
        insert = postgresql.insert if db.dialect == "postgresql" else sqlite.insert
        async with db.write() as session:
            for action, limit in wanted:
                ended = BUCKETS.c.window_start <= now - timedelta(seconds=limit.seconds)
                stmt = (
                    insert(BUCKETS)
                    .values(user_id=user_id, action=action, window_start=now, count=1)
                    .on_conflict_do_update(
                        index_elements=[BUCKETS.c.user_id, BUCKETS.c.action],
                        set_={
                            "count": case((ended, 1), else_=BUCKETS.c.count + 1),
                            "window_start": case((ended, now), else_=BUCKETS.c.window_start),
                        },
                        where=or_(ended, BUCKETS.c.count < limit.count),
                    )
                    .returning(BUCKETS.c.count)
                )
                if (await session.execute(stmt)).first() is None:
                    opened = (
                        await session.execute(
                            select(BUCKETS.c.window_start).where(
                                BUCKETS.c.user_id == user_id, BUCKETS.c.action == action
                            )
                        )
                    ).scalar_one()
                    what = "commands" if action == ALL_COMMANDS else f"{action}s"
                    raise RateLimited(
                        f"too many {what}: at most {limit.count} every {limit.seconds} s; try again shortly",
                        action=action,
                        retry_at=opened + timedelta(seconds=limit.seconds),
                    )
