"""Registration: policy acceptance, the starting currencies, a random starter Esprit set active."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from faye.db import retried
from faye.errors import AlreadyRegistered, PolicyNotAccepted
from faye.models import EventKind, PityCounter, User, UserEsprit
from faye.results import Registration
from faye.services import history, ledger
from faye.services.context import ServiceContext
from faye.services.economy import load_profile
from faye.services.players import lock_roster
from faye.services.privacy import check_rejoin
from faye.text import check_user_id, clean_name


class OnboardingService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def ensure_new(self, user_id: str) -> None:
        """Refuse (AlreadyRegistered) before showing the policy to someone who has already joined."""
        async with self._ctx.db.read() as session:
            if await session.get(User, user_id) is not None:
                raise AlreadyRegistered(f"{user_id!r} is already registered", user_id=user_id)

    @retried
    async def register(self, user_id: str, username: str, *, policy_accepted: bool) -> Registration:
        """Make the account. The id and the name are checked here, once, for every front-end (faye.text):
        an unusable id is refused, the name is cleaned (controls stripped, NFC, the id when blank).

        Refusals: PolicyNotAccepted, InvalidArgument (field user_id or username), AlreadyRegistered, and
        CooldownActive for an id whose data was deleted too recently (faye.services.privacy).
        """
        if not policy_accepted:
            raise PolicyNotAccepted("you need to accept the Faye player policy before you can play")
        check_user_id(user_id)
        username = clean_name(username, user_id)
        ctx = self._ctx
        settings = ctx.config.settings
        now = ctx.clock.now()
        async with ctx.db.write() as session:
            await lock_roster(session, exclusive=False)  # a reset under way finishes first (faye.db's lock order)
            if await session.get(User, user_id) is not None:
                raise AlreadyRegistered(f"{user_id!r} is already registered", user_id=user_id)
            await check_rejoin(session, user_id, now, timedelta(hours=settings.daily.cooldown_hours))
            level = settings.starting.level
            session.add(
                User(
                    user_id=user_id,
                    username=username,
                    level=level,
                    xp=settings.xp.total_xp_for(level),
                    policy_accepted_at=now,
                    created_at=now,
                )
            )
            try:
                await session.flush()
            except IntegrityError:
                # Two registrations raced past the check above; the primary key let only one through.
                raise AlreadyRegistered(f"{user_id!r} is already registered", user_id=user_id) from None
            session.add_all(PityCounter(user_id=user_id, tier=tier) for tier in ctx.config.tier_names)
            for currency, amount in settings.starting.currencies().items():
                if amount:
                    await ledger.move(session, user_id, currency, amount, reason="starting_grant", at=now)
            definition = ctx.config.esprits_by_id[ctx.rng.choice(settings.starter_pool)]
            starter = UserEsprit(
                owner_id=user_id,
                esprit_data_id=definition.esprit_id,
                current_hp=definition.stats.hp,
                acquired_at=now,
            )
            session.add(starter)
            await session.flush()
            assert starter.id is not None
            await history.record(
                session,
                [
                    history.event(
                        starter.id, EventKind.CREATED, user_id, now, source="starter", species=definition.esprit_id
                    )
                ],
            )
            await session.execute(update(User).where(col(User.user_id) == user_id).values(active_esprit_id=starter.id))
            profile = await load_profile(session, ctx, user_id)
        assert profile.active_esprit is not None
        return Registration(profile=profile, starter=profile.active_esprit)
