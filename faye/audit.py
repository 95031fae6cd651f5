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
class EventState:
    """One event of an Esprit's history (faye.models.EspritEvent)."""

    kind: str
    owner_id: str | None
    listing_id: int | None = None
    trade_id: int | None = None
    giver: str | None = None
    """For `traded`: the trader it came from."""


@dataclass(frozen=True, kw_only=True)
class TradeItemState:
    user_id: str
    """The trader who offers it."""
    esprit_id: int
    reserved: bool


@dataclass(frozen=True, kw_only=True)
class TradeState:
    id: int
    status: str
    """open, executed, cancelled or expired (an open one past its time still says open)."""
    sides: Mapping[str, Mapping[str, int]]
    """Per trader, what they give, per currency."""
    items: Sequence[TradeItemState] = ()


@dataclass(frozen=True, kw_only=True)
class Snapshot:
    """What the audit compares, read at one instant."""

    players: Sequence[PlayerState] = ()
    ledger: Mapping[tuple[str, str], int] = field(default_factory=dict)
    """Per (user id, currency): the sum of that player's ledger deltas in it."""
    ledger_rows: int = 0
    esprits: Sequence[EspritState] = ()
    open_listings: Sequence[ListingState] = ()
    histories: Mapping[int, Sequence[EventState]] = field(default_factory=dict)
    """Per Esprit id (of every Esprit that ever existed), its events oldest first."""
    trades: Sequence[TradeState] = ()
    trade_ledger: Mapping[tuple[str, str, str], int] = field(default_factory=dict)
    """Per (ledger reference, user id, currency): the sum of the ledger deltas with reason `trade`."""


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


#: Events that end a life: the Esprit is gone after them.
ENDINGS: Final = frozenset({"consumed", "released"})
#: Events after which the Esprit is in escrow, and those that take it out.
INTO_ESCROW: Final = frozenset({"escrowed"})
OUT_OF_ESCROW: Final = frozenset({"sold", "returned"})


def _broken(events: Sequence[EventState]) -> str | None:
    """Why a history is not one life (created first, escrow in and out in turn, nothing after an ending)."""
    if not events or events[0].kind != "created":
        return "does not start with `created`"
    in_escrow = False
    for n, event in enumerate(events[1:], start=2):
        if event.kind == "created":
            return f"is created twice (event {n})"
        if events[n - 2].kind in ENDINGS:
            return f"has event {n} ({event.kind}) after it was {events[n - 2].kind}"
        if event.kind in OUT_OF_ESCROW and not in_escrow:
            return f"is {event.kind} (event {n}) without being in escrow"
        if event.kind not in OUT_OF_ESCROW | INTO_ESCROW and in_escrow:
            return f"is {event.kind} (event {n}) while in escrow"
        if event.kind in INTO_ESCROW and in_escrow:
            return f"is escrowed twice (event {n})"
        in_escrow = event.kind in INTO_ESCROW or (in_escrow and event.kind not in OUT_OF_ESCROW)
    return None


def history_problems(snapshot: Snapshot) -> Iterator[str]:
    """Every Esprit that exists has an unbroken history that ends with its current owner (or its open listing);
    every Esprit whose history ends in consumed or released is gone, and no other is."""
    listing_of = {listing.esprit_id: listing.id for listing in snapshot.open_listings}
    existing = {esprit.id for esprit in snapshot.esprits}
    for esprit in snapshot.esprits:
        events = snapshot.histories.get(esprit.id, ())
        if not events:
            yield f"Esprit {esprit.id}: has no history"
            continue
        broken = _broken(events)
        if broken:
            yield f"Esprit {esprit.id}: its history {broken}"
        last = events[-1]
        if last.kind in ENDINGS:
            yield f"Esprit {esprit.id}: still exists, but its history ends with `{last.kind}`"
        elif esprit.owner_id is not None and last.owner_id != esprit.owner_id:
            held = last.owner_id or "no one"
            yield f"Esprit {esprit.id}: owned by {esprit.owner_id}, but its history ends with `{last.kind}` ({held})"
        elif esprit.owner_id is None and (last.kind != "escrowed" or last.listing_id != listing_of.get(esprit.id)):
            yield (
                f"Esprit {esprit.id}: is in escrow (listing {listing_of.get(esprit.id)}), but its history ends "
                f"with `{last.kind}` (listing {last.listing_id})"
            )
    for esprit_id, events in snapshot.histories.items():
        if esprit_id not in existing and (not events or events[-1].kind not in ENDINGS):
            ending = events[-1].kind if events else "nothing"
            yield f"Esprit {esprit_id}: is gone, but its history ends with `{ending}`, not consumed or released"


def trade_problems(snapshot: Snapshot) -> Iterator[str]:
    """No trade moved value it did not record: an executed trade's ledger rows are exactly what its sides gave
    (the giver minus, the other trader plus), and each of its Esprits has a `traded` event to the other trader;
    no other trade left a ledger row or a `traded` event; a reserved Esprit is in an open trade and owned by the
    trader offering it."""
    owners = {esprit.id: esprit.owner_id for esprit in snapshot.esprits}
    expected: dict[tuple[str, str, str], int] = {}
    moved: dict[tuple[int, int], tuple[str, str]] = {}
    for trade in snapshot.trades:
        traders = list(trade.sides)
        for item in trade.items:
            if item.reserved and trade.status != "open":
                yield f"trade {trade.id}: is {trade.status} but still reserves Esprit {item.esprit_id}"
            if item.reserved and owners.get(item.esprit_id) != item.user_id:
                yield (
                    f"trade {trade.id}: reserves Esprit {item.esprit_id} for {item.user_id}, but it is "
                    f"{'gone' if item.esprit_id not in owners else 'held by ' + str(owners[item.esprit_id])}"
                )
        if trade.status != "executed" or len(traders) != 2:
            continue
        reference = f"trade {trade.id}"
        for giver, receiver in ((traders[0], traders[1]), (traders[1], traders[0])):
            for currency, amount in trade.sides[giver].items():
                if amount:
                    for who, delta in ((giver, -amount), (receiver, amount)):
                        expected[(reference, who, currency)] = expected.get((reference, who, currency), 0) + delta
            for item in trade.items:
                if item.user_id == giver:
                    moved[(trade.id, item.esprit_id)] = (giver, receiver)
    recorded = {key: total for key, total in snapshot.trade_ledger.items() if total}
    for key in sorted(set(expected) | set(recorded)):
        if expected.get(key, 0) != recorded.get(key, 0):
            reference, user_id, currency = key
            yield (
                f"{reference}: {user_id}'s {currency} should move by {expected.get(key, 0):,}, "
                f"but the ledger records {recorded.get(key, 0):,}"
            )
    seen: set[tuple[int, int]] = set()
    for esprit_id, events in snapshot.histories.items():
        for event in events:
            if event.kind != "traded":
                continue
            pair = (event.trade_id or 0, esprit_id)
            seen.add(pair)
            if moved.get(pair) != (event.giver, event.owner_id):
                yield f"Esprit {esprit_id}: traded in trade {event.trade_id}, which did not move it that way"
    for trade_id, esprit_id in sorted(set(moved) - seen):
        yield f"trade {trade_id}: moved Esprit {esprit_id} without a `traded` event"


CHECKS: Final[tuple[Check, ...]] = (
    balance_problems,
    escrow_problems,
    listing_problems,
    active_problems,
    history_problems,
    trade_problems,
)


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
