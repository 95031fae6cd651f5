"""The audit's pure checks, on hand-built snapshots: each discrepancy is caught and named, no database needed."""

from __future__ import annotations

from dataclasses import replace

from faye.audit import (
    EspritState,
    EventState,
    ListingState,
    PlayerState,
    Snapshot,
    TradeItemState,
    TradeState,
    report,
)

CREATED_ANA = EventState(kind="created", owner_id="ana")


def player(user_id: str, *, faylen: int = 100, active: int | None = None) -> PlayerState:
    return PlayerState(user_id=user_id, balances={"faylen": faylen, "gems": 0}, active_esprit_id=active)


def consistent() -> Snapshot:
    """Ana owns Esprit 1 (active) and sells Esprit 2 in listing 10; Ben owns Esprit 3. Ledgers match."""
    return Snapshot(
        players=[player("ana", active=1), player("ben", faylen=40)],
        ledger={("ana", "faylen"): 100, ("ben", "faylen"): 40},
        ledger_rows=3,
        esprits=[
            EspritState(id=1, owner_id="ana"),
            EspritState(id=2, owner_id=None),
            EspritState(id=3, owner_id="ben"),
        ],
        open_listings=[ListingState(id=10, esprit_id=2)],
        histories={
            1: [CREATED_ANA],
            2: [CREATED_ANA, EventState(kind="escrowed", owner_id=None, listing_id=10)],
            3: [
                EventState(kind="created", owner_id="ana"),
                EventState(kind="escrowed", owner_id=None, listing_id=9),
                EventState(kind="sold", owner_id="ben", listing_id=9),
            ],
            4: [CREATED_ANA, EventState(kind="consumed", owner_id=None)],
        },
    )


def test_a_consistent_snapshot_has_no_problems() -> None:
    audit = report(consistent())
    assert (audit.consistent, audit.problems) == (True, [])
    assert (audit.players, audit.esprits, audit.open_listings, audit.ledger_rows) == (2, 3, 1, 3)


def test_a_balance_the_ledger_does_not_explain() -> None:
    snapshot = replace(consistent(), ledger={("ana", "faylen"): 93, ("ben", "faylen"): 40})
    assert report(snapshot).problems == ["player ana: faylen balance 100 but the ledger sums to 93"]


def test_a_balance_with_no_ledger_rows_at_all() -> None:
    snapshot = replace(consistent(), players=[player("ana", active=1), player("ben", faylen=40)], ledger={})
    assert report(snapshot).problems == [
        "player ana: faylen balance 100 but the ledger sums to 0",
        "player ben: faylen balance 40 but the ledger sums to 0",
    ]


def test_a_negative_balance_even_when_the_ledger_agrees() -> None:
    snapshot = replace(
        consistent(),
        players=[player("ana", faylen=-5, active=1), player("ben", faylen=40)],
        ledger={("ana", "faylen"): -5, ("ben", "faylen"): 40},
    )
    audit = report(snapshot)
    assert audit.problems == ["player ana: negative faylen balance -5"]
    assert not audit.consistent


def test_an_esprit_owned_and_listed() -> None:
    esprits = [EspritState(id=1, owner_id="ana"), EspritState(id=2, owner_id="ana"), EspritState(id=3, owner_id="ben")]
    assert report(replace(consistent(), esprits=esprits)).problems == [
        "Esprit 2: owned by ana and also in open listing(s) [10]",
        "Esprit 2: owned by ana, but its history ends with `escrowed` (no one)",
    ]


def test_an_esprit_with_no_owner_and_no_listing() -> None:
    assert report(replace(consistent(), open_listings=[])).problems == [
        "Esprit 2: has no owner and is in no open listing",
        "Esprit 2: is in escrow (listing None), but its history ends with `escrowed` (listing 10)",
    ]


def test_an_esprit_in_two_open_listings() -> None:
    listings = [ListingState(id=10, esprit_id=2), ListingState(id=11, esprit_id=2)]
    assert report(replace(consistent(), open_listings=listings)).problems == [
        "Esprit 2: has no owner and is in 2 open listings [10, 11]",
        "Esprit 2: is in escrow (listing 11), but its history ends with `escrowed` (listing 10)",
    ]


def test_an_orphan_listing() -> None:
    listings = [ListingState(id=10, esprit_id=2), ListingState(id=12, esprit_id=99)]
    assert report(replace(consistent(), open_listings=listings)).problems == [
        "listing 12: its Esprit 99 does not exist"
    ]


def test_an_active_esprit_the_player_does_not_own() -> None:
    for active in (3, 2, 99):  # Ben's, in escrow, gone
        snapshot = replace(consistent(), players=[player("ana", active=active), player("ben", faylen=40)])
        assert report(snapshot).problems == [f"player ana: active Esprit {active} is not theirs"]


def test_every_problem_is_reported_in_check_order() -> None:
    snapshot = replace(
        consistent(),
        players=[player("ana", faylen=-1, active=3), player("ben", faylen=40)],
        esprits=[EspritState(id=1, owner_id="ana"), EspritState(id=3, owner_id="ben")],
    )
    assert report(snapshot).problems == [
        "player ana: faylen balance -1 but the ledger sums to 100",
        "player ana: negative faylen balance -1",
        "listing 10: its Esprit 2 does not exist",
        "player ana: active Esprit 3 is not theirs",
        "Esprit 2: is gone, but its history ends with `escrowed`, not consumed or released",
    ]


def test_an_esprit_without_history() -> None:
    snapshot = replace(consistent(), histories={k: v for k, v in consistent().histories.items() if k != 1})
    assert report(snapshot).problems == ["Esprit 1: has no history"]


def test_a_history_that_ends_with_someone_else() -> None:
    histories = dict(consistent().histories)
    histories[3] = [EventState(kind="created", owner_id="ana")]
    assert report(replace(consistent(), histories=histories)).problems == [
        "Esprit 3: owned by ben, but its history ends with `created` (ana)"
    ]


def test_an_escrowed_esprit_whose_history_names_another_listing() -> None:
    histories = dict(consistent().histories)
    histories[2] = [CREATED_ANA, EventState(kind="escrowed", owner_id=None, listing_id=9)]
    assert report(replace(consistent(), histories=histories)).problems == [
        "Esprit 2: is in escrow (listing 10), but its history ends with `escrowed` (listing 9)"
    ]


def test_a_released_esprit_that_still_exists() -> None:
    histories = dict(consistent().histories)
    histories[1] = [CREATED_ANA, EventState(kind="released", owner_id=None)]
    assert report(replace(consistent(), histories=histories)).problems == [
        "Esprit 1: still exists, but its history ends with `released`"
    ]


def test_a_vanished_esprit_whose_history_does_not_say_why() -> None:
    histories = dict(consistent().histories)
    histories[4] = [CREATED_ANA]
    assert report(replace(consistent(), histories=histories)).problems == [
        "Esprit 4: is gone, but its history ends with `created`, not consumed or released"
    ]


def test_broken_histories() -> None:
    cases = {
        "does not start with `created`": [EventState(kind="escrowed", owner_id=None)],
        "is sold (event 2) without being in escrow": [CREATED_ANA, EventState(kind="sold", owner_id="ana")],
        "is created twice (event 2)": [CREATED_ANA, CREATED_ANA],
        "has event 3 (returned) after it was released": [
            CREATED_ANA,
            EventState(kind="released", owner_id=None),
            EventState(kind="returned", owner_id="ana"),
        ],
        "is ascended (event 3) while in escrow": [
            CREATED_ANA,
            EventState(kind="escrowed", owner_id=None),
            EventState(kind="ascended", owner_id="ana"),
        ],
    }
    for why, events in cases.items():
        histories = dict(consistent().histories)
        histories[1] = events
        problems = report(replace(consistent(), histories=histories)).problems
        assert f"Esprit 1: its history {why}" in problems, (why, problems)


def traded() -> Snapshot:
    """The consistent snapshot, plus trade 5 (executed): Ana gave Esprit 1 and 30 faylen for Ben's 20 virelite."""
    histories = dict(consistent().histories)
    histories[1] = [CREATED_ANA, EventState(kind="traded", owner_id="ben", trade_id=5, giver="ana")]
    return replace(
        consistent(),
        players=[player("ana"), player("ben", faylen=40)],
        esprits=[
            EspritState(id=1, owner_id="ben"),
            EspritState(id=2, owner_id=None),
            EspritState(id=3, owner_id="ben"),
        ],
        histories=histories,
        trades=[
            TradeState(
                id=5,
                status="executed",
                sides={"ana": {"faylen": 30, "virelite": 0}, "ben": {"faylen": 0, "virelite": 20}},
                items=[TradeItemState(user_id="ana", esprit_id=1, reserved=False)],
            )
        ],
        trade_ledger={
            ("trade 5", "ana", "faylen"): -30,
            ("trade 5", "ben", "faylen"): 30,
            ("trade 5", "ben", "virelite"): -20,
            ("trade 5", "ana", "virelite"): 20,
        },
    )


def test_a_recorded_trade_is_consistent() -> None:
    assert report(traded()).problems == []


def test_a_trade_that_moved_currency_it_did_not_record() -> None:
    ledger = dict(traded().trade_ledger)
    ledger[("trade 5", "ben", "faylen")] = 60
    assert report(replace(traded(), trade_ledger=ledger)).problems == [
        "trade 5: ben's faylen should move by 30, but the ledger records 60"
    ]


def test_a_trade_ledger_row_of_a_trade_that_never_executed() -> None:
    ledger = dict(traded().trade_ledger) | {("trade 9", "ana", "faylen"): 5}
    assert report(replace(traded(), trade_ledger=ledger)).problems == [
        "trade 9: ana's faylen should move by 0, but the ledger records 5"
    ]


def test_a_traded_esprit_without_its_event() -> None:
    histories = dict(traded().histories)
    histories[1] = [EventState(kind="created", owner_id="ben")]
    assert report(replace(traded(), histories=histories)).problems == [
        "trade 5: moved Esprit 1 without a `traded` event"
    ]


def test_a_reservation_that_outlived_its_trade_or_its_owner() -> None:
    trades = [
        TradeState(
            id=6, status="cancelled", sides={}, items=[TradeItemState(user_id="ben", esprit_id=3, reserved=True)]
        ),
        TradeState(id=7, status="open", sides={}, items=[TradeItemState(user_id="ana", esprit_id=3, reserved=True)]),
    ]
    assert report(replace(consistent(), trades=trades)).problems == [
        "trade 6: is cancelled but still reserves Esprit 3",
        "trade 7: reserves Esprit 3 for ana, but it is held by ben",
    ]
