"""Every refusal the game can give, each with a stable snake_case `code`.

Front-ends map these to output in one place (the CLI's error handler, the Discord tree's `on_error`); scripts
and tests match on `code`, never on the wording of `message`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar


class FayeError(Exception):
    """Base of every refusal. `details` carries machine-readable context for `--json` output."""

    code: ClassVar[str] = "faye_error"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        details = {k: v.isoformat() if isinstance(v, datetime) else v for k, v in self.details.items()}
        return {"code": self.code, "message": self.message, **details}


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


class InvalidArgument(FayeError):
    """A filter, sort key, page or limit the game does not know."""

    code = "invalid_argument"


class NotFound(FayeError):
    code = "not_found"


class NotOwner(FayeError):
    code = "not_owner"


class Forbidden(FayeError):
    code = "forbidden"


class ConfigError(FayeError):
    """The game data in data/config (or FAYE_CONFIG_DIR) is missing or invalid; `problems` lists each one."""

    code = "invalid_config"

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        summary = "invalid game data:\n" + "\n".join(f"  - {p}" for p in problems)
        super().__init__(summary, problems=problems)


class DatabaseUnavailable(FayeError):
    """The database URL is unsupported or the server cannot be reached."""

    code = "database_unavailable"


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
