"""Every refusal the game can give, each with a stable snake_case `code` and a `kind`.

Front-ends map these to output in one place (the CLI's error handler, the Discord tree's `on_error`) and
derive their exit code or reply style from `kind` alone; they add their own wording (a command name, a slash
command) by `code`. Scripts and tests match on `code`, never on the wording of `message`, and messages name no
front-end.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar


class ErrorKind(StrEnum):
    """What a refusal means for whoever asked."""

    REFUSED = "refused"
    """The game said no: the request was well formed, the rules forbid it now (funds, cooldown, ownership)."""
    BAD_INPUT = "bad_input"
    """The request itself is wrong: an out-of-range number, an unknown option value, invalid game data."""
    UNAVAILABLE = "unavailable"
    """The game cannot serve right now: the database is unreachable, busy, or at another schema version."""


class FayeError(Exception):
    """Base of every refusal. `details` carries machine-readable context for `--json` output."""

    code: ClassVar[str] = "faye_error"
    kind: ClassVar[ErrorKind] = ErrorKind.REFUSED

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        details = {k: v.isoformat() if isinstance(v, datetime) else v for k, v in self.details.items()}
        return {"code": self.code, "kind": self.kind.value, "message": self.message, **details}


class NotRegistered(FayeError):
    code = "not_registered"


class AlreadyRegistered(FayeError):
    code = "already_registered"


class PolicyNotAccepted(FayeError):
    code = "policy_not_accepted"


class InsufficientFunds(FayeError):
    code = "insufficient_funds"


class CooldownActive(FayeError):
    code = "cooldown_active"


class InvalidAmount(FayeError):
    code = "invalid_amount"
    kind = ErrorKind.BAD_INPUT


class InvalidArgument(FayeError):
    """A filter, sort key, page or limit the game does not know, or a number outside its bounds."""

    code = "invalid_argument"
    kind = ErrorKind.BAD_INPUT


class NotFound(FayeError):
    code = "not_found"


class NotOwner(FayeError):
    code = "not_owner"


class Forbidden(FayeError):
    code = "forbidden"


class ConfigError(FayeError):
    """The game data in data/config (or FAYE_CONFIG_DIR) is missing or invalid; `problems` lists each one."""

    code = "invalid_config"
    kind = ErrorKind.BAD_INPUT

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        summary = "invalid game data:\n" + "\n".join(f"  - {p}" for p in problems)
        super().__init__(summary, problems=problems)


class DatabaseUnavailable(FayeError):
    """The database URL is unsupported or the server cannot be reached."""

    code = "database_unavailable"
    kind = ErrorKind.UNAVAILABLE


class DatabaseBusy(FayeError):
    """A lock could not be had in time, or a transaction lost a deadlock or serialisation conflict twice:
    nothing changed, and the same request may succeed in a moment."""

    code = "database_busy"
    kind = ErrorKind.UNAVAILABLE


class SchemaOutdated(FayeError):
    """The database was made by an older Faye; the operator upgrades it (each front-end says how)."""

    code = "schema_outdated"
    kind = ErrorKind.UNAVAILABLE


class SchemaTooNew(FayeError):
    """The database was written by a newer Faye (a revision this one does not know): it is left untouched."""

    code = "schema_too_new"
    kind = ErrorKind.UNAVAILABLE


class ListingUnavailable(FayeError):
    """The listing is sold, cancelled, expired or does not exist."""

    code = "listing_unavailable"


class OwnListing(FayeError):
    code = "own_listing"


class InEscrow(FayeError):
    """The Esprit sits in an open auction listing: nothing else may touch it until the listing closes."""

    code = "in_escrow"


class PriceOutOfRange(FayeError):
    code = "price_out_of_range"


class TooManyListings(FayeError):
    code = "too_many_listings"


class Locked(FayeError):
    """The Esprit is locked (a favourite): it cannot be released, used as fodder, listed or traded."""

    code = "locked"


class ActiveEsprit(FayeError):
    """The Esprit is the player's active one: it is never released or consumed."""

    code = "active_esprit"


class LevelCap(FayeError):
    """The Esprit is at its level cap (train: ascend it first), or at the highest ascension rank."""

    code = "level_cap"


class WrongSpecies(FayeError):
    """Ascension fodder must be duplicates of the same species as the Esprit it ascends."""

    code = "wrong_species"


class NotEnoughCopies(FayeError):
    """The ascension needs more duplicates than the player can offer."""

    code = "not_enough_copies"


class NothingMatched(FayeError):
    """A release filter matched none of the player's Esprits that may go."""

    code = "nothing_matched"


class TradeUnavailable(FayeError):
    """The trade is closed, expired or executed, or does not exist."""

    code = "trade_unavailable"


class TradeChanged(FayeError):
    """A confirmation named a version of the trade that is no longer current: look at it again."""

    code = "trade_changed"


class TooSoon(FayeError):
    """Confirming came within the delay after the trade's last change."""

    code = "too_soon"


class Reserved(FayeError):
    """The Esprit is offered in an open trade: nothing else may take it until the trade closes."""

    code = "reserved"


class SelfTrade(FayeError):
    code = "self_trade"


class TradeLimit(FayeError):
    """A trading limit of the game data: currency trading for new accounts, the daily cap, open trades, items."""

    code = "trade_limit"


class BannerClosed(FayeError):
    """The banner exists but is not open now (a limited banner before its start or after its end)."""

    code = "banner_closed"


class TeamInvalid(FayeError):
    """A battle team that cannot fight: not the player's Esprits, one twice, none or more than three, or one
    in escrow, reserved in a trade or released."""

    code = "team_invalid"


class StageLocked(FayeError):
    """A trial stage beyond the next one the player may clear."""

    code = "stage_locked"


class AttemptsExhausted(FayeError):
    """Today's trial replays or duels are used up; `details["retry_at"]` says when the next day starts."""

    code = "attempts_exhausted"


class NoDefence(FayeError):
    """The player challenged has no saved defence team (or none of it is still theirs)."""

    code = "no_defence"


class SelfDuel(FayeError):
    code = "self_duel"


class RateLimited(FayeError):
    """Too many of one action by one player within the operator's window (FAYE_RATE_LIMITS); `retry_at` says when
    the next is allowed. Nothing was done."""

    code = "rate_limited"
