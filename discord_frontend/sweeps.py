"""The bot's timers that close what ran out (auction listings, trades): a failed sweep is logged and tried again
at the next tick; the loop never stops for it."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from faye.errors import FayeError

log = logging.getLogger(__name__)


async def sweep(what: str, closed: str, run: Callable[[], Awaitable[list[int]]]) -> None:
    """Run one sweep: `what` names it in the log ("auction expiry"), `closed` says what it did with the count
    ("returned %d listings to their sellers")."""
    try:
        done = await run()
    except FayeError as exc:
        log.warning("%s sweep failed (%s): %s", what, exc.code, exc.message)
        return
    except Exception:
        log.exception("%s sweep failed", what)
        return
    if done:
        log.info("%s sweep " + closed, what, len(done))
