"""Banners as players see them, every pull on record, and each player's luck against the exact odds.

Reads only, except `prune` (an admin's deletion of pulls older than the retention, previewed first).
"""

from __future__ import annotations

from faye.results import BannerList, LuckReport, PullHistory, PullPrune
from faye.services.context import ServiceContext


class BannerService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def open_now(self, user_id: str | None = None) -> BannerList:
        """The banners open now (standard first, then limited by end), with the player's pity and guarantees
        per banner group when `user_id` is given. Refuses `not_registered` for an unknown player."""
        raise NotImplementedError

    async def history(
        self, user_id: str, *, banner_id: str | None = None, tier: str | None = None, page: int = 1
    ) -> PullHistory:
        """The player's recorded pulls, newest first, optionally of one banner and/or tier. Refuses
        `not_registered`, `not_found` (unknown banner), `invalid_argument` (unknown tier, page out of range)."""
        raise NotImplementedError

    async def luck(self, user_id: str, *, banner_id: str | None = None) -> LuckReport:
        """For each tier with pity, the pulls each of the player's hits took and where that sits in the exact
        distribution, and their rate against the published one with a 95 % interval. Refuses `not_registered`,
        `not_found`."""
        raise NotImplementedError

    async def prune(self, actor: str, *, apply: bool = False) -> PullPrune:
        """Pull records older than the retention (banners.json `retention_days`, at least 90): counted, and
        deleted only with `apply`. Refuses `forbidden` for a non-admin."""
        raise NotImplementedError
