"""Per-player rate limits as an operator writes them: FAYE_RATE_LIMITS="summon=1/1,*=20/60".

Each part is ACTION=COUNT/SECONDS: at most COUNT within a window of SECONDS, per player. The actions:
`summon` (taken by SummonService.summon, so every front-end shares it) and `*` (every Discord command of the
player, taken by the bot's command tree). Empty: no limits (the default; a scripted session with a frozen clock
is never limited by surprise). The counters live in the database (faye.services.limits), so several bot
processes share them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

ACTIONS: Final = ("summon", "*")
"""What a limit may name."""
ALL_COMMANDS: Final = "*"
MAX_SECONDS: Final = 86_400


@dataclass(frozen=True)
class RateLimit:
    count: int
    seconds: int


def parse_limits(text: str) -> dict[str, RateLimit]:
    """The limits of a FAYE_RATE_LIMITS value; ValueError naming the part at fault and what was expected."""
    limits: dict[str, RateLimit] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        action, _, rule = part.partition("=")
        action = action.strip()
        count, _, seconds = rule.partition("/")
        if action not in ACTIONS:
            raise ValueError(f"{part!r}: unknown action {action!r}; expected one of {', '.join(ACTIONS)}")
        try:
            limit = RateLimit(int(count), int(seconds))
        except ValueError:
            raise ValueError(f"{part!r}: expected ACTION=COUNT/SECONDS, e.g. summon=1/1") from None
        if not (1 <= limit.count <= 1_000_000 and 1 <= limit.seconds <= MAX_SECONDS):
            raise ValueError(f"{part!r}: COUNT must be 1 to 1,000,000 and SECONDS 1 to {MAX_SECONDS:,}")
        if action in limits:
            raise ValueError(f"{part!r}: {action!r} is limited twice")
        limits[action] = limit
    return limits
