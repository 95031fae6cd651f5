"""The audit's rules: pure checks over one snapshot of what players hold, no database.

`AdminService.audit` reads a `Snapshot` in one read transaction and hands it to `report`; tests build
snapshots by hand to show each check catches its discrepancy. A check yields one sentence per problem, naming
the player, Esprit or listing, so an operator can find the rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from faye.results import AuditReport


@dataclass(frozen=True, kw_only=True)
class PlayerState:
    user_id: str
    balances: Mapping[str, int]
    """Per currency, what the player's row holds."""
    active_esprit_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class EspritState:
    id: int
    owner_id: str | None
    """None while the Esprit sits in escrow in an open listing."""


@dataclass(frozen=True, kw_only=True)
class ListingState:
    id: int
    esprit_id: int


@dataclass(frozen=True, kw_only=True)
class Snapshot:
    """What the audit compares, read at one instant."""

    players: Sequence[PlayerState] = ()
    ledger: Mapping[tuple[str, str], int] = field(default_factory=dict)
    """Per (user id, currency): the sum of that player's ledger deltas in it."""
    ledger_rows: int = 0
    esprits: Sequence[EspritState] = ()
    open_listings: Sequence[ListingState] = ()


Check = Callable[[Snapshot], Iterator[str]]


def balance_problems(snapshot: Snapshot) -> Iterator[str]:
    """Every balance equals what its ledger sums to, and none is negative."""
    for player in snapshot.players:
        for currency, balance in player.balances.items():
            total = snapshot.ledger.get((player.user_id, currency), 0)
            if balance != total:
                yield f"player {player.user_id}: {currency} balance {balance:,} but the ledger sums to {total:,}"
            if balance < 0:
                yield f"player {player.user_id}: negative {currency} balance {balance:,}"


def escrow_problems(snapshot: Snapshot) -> Iterator[str]:
    """Every Esprit has exactly one owner, or no owner and exactly one open listing holding it."""
    listed: dict[int, list[int]] = {}
    for listing in snapshot.open_listings:
        listed.setdefault(listing.esprit_id, []).append(listing.id)
    for esprit in snapshot.esprits:
        in_listings = listed.get(esprit.id, [])
        if esprit.owner_id is not None and in_listings:
            yield f"Esprit {esprit.id}: owned by {esprit.owner_id} and also in open listing(s) {in_listings}"
        elif esprit.owner_id is None and len(in_listings) != 1:
            where = f"in {len(in_listings)} open listings {in_listings}" if in_listings else "in no open listing"
            yield f"Esprit {esprit.id}: has no owner and is {where}"


def listing_problems(snapshot: Snapshot) -> Iterator[str]:
    """Every open listing holds an Esprit that exists."""
    known = {esprit.id for esprit in snapshot.esprits}
    for listing in snapshot.open_listings:
        if listing.esprit_id not in known:
            yield f"listing {listing.id}: its Esprit {listing.esprit_id} does not exist"


def active_problems(snapshot: Snapshot) -> Iterator[str]:
    """A player's active Esprit is one they own (not another's, not one in escrow)."""
    owners = {esprit.id: esprit.owner_id for esprit in snapshot.esprits}
    for player in snapshot.players:
        if player.active_esprit_id is not None and owners.get(player.active_esprit_id) != player.user_id:
            yield f"player {player.user_id}: active Esprit {player.active_esprit_id} is not theirs"


CHECKS: Final[tuple[Check, ...]] = (balance_problems, escrow_problems, listing_problems, active_problems)


def report(snapshot: Snapshot) -> AuditReport:
    """Every check's problems, in the order of CHECKS, with the size of what was checked."""
    problems = [problem for check in CHECKS for problem in check(snapshot)]
    return AuditReport(
        players=len(snapshot.players),
        esprits=len(snapshot.esprits),
        open_listings=len(snapshot.open_listings),
        ledger_rows=snapshot.ledger_rows,
        consistent=not problems,
        problems=problems,
    )
