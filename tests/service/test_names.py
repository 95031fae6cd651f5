"""Ids and names are checked once, at registration, for every front-end: an unusable id is refused, a name is
kept cleaned (NFC, white space folded, controls and bidi overrides stripped, the id when nothing is left)."""

from __future__ import annotations

import pytest

from faye.app import FayeApp
from faye.errors import InvalidArgument
from faye.models import LedgerEntry, User, UserEsprit
from faye.text import MAX_ID_LENGTH, MAX_NAME_LENGTH
from tests.conftest import count_rows, user_row


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("\x1b]0;HACKED\x07\x1b[2J", "]0;HACKED[2J"),
        ("  Ana\t\n Smith  ", "Ana Smith"),
        ("Zoe\u0301", "Zoé"),
        ("\u202eevil\u2066", "evil"),
        ("a\x00b\x9bc", "abc"),
        ("\u200b \u202e", "u1"),
        ("x[/]", "x[/]"),  # markup is data: kept as typed, escaped where it is shown
        ("n" * MAX_NAME_LENGTH, "n" * MAX_NAME_LENGTH),
        ("n" * (MAX_NAME_LENGTH - 1) + "\x1b\x1b", "n" * (MAX_NAME_LENGTH - 1)),  # the bound is on what is kept
    ],
)
async def test_name_is_kept_cleaned(app: FayeApp, name: str, kept: str) -> None:
    registration = await app.onboarding.register("u1", name, policy_accepted=True)
    assert registration.profile.username == kept
    stored = await user_row(app, "u1")
    assert stored is not None
    assert stored.username == kept


async def test_too_long_a_name_is_refused_before_anything_is_written(app: FayeApp) -> None:
    with pytest.raises(InvalidArgument) as caught:
        await app.onboarding.register("u1", "n" * (MAX_NAME_LENGTH + 1), policy_accepted=True)
    assert caught.value.details["field"] == "username"
    for model in (User, UserEsprit, LedgerEntry):
        assert await count_rows(app, model) == 0


@pytest.mark.parametrize(
    "user_id",
    ["ev\x1bil", "a\u202eb", "\udcff", " ana", "ana ", "a  b", "Zoe\u0301", "x" * (MAX_ID_LENGTH + 1)],
)
async def test_unusable_id_is_refused_before_anything_is_written(app: FayeApp, user_id: str) -> None:
    with pytest.raises(InvalidArgument) as caught:
        await app.onboarding.register(user_id, "Name", policy_accepted=True)
    assert caught.value.details["field"] == "user_id"
    assert "\x1b" not in caught.value.message
    assert await count_rows(app, User) == 0


@pytest.mark.parametrize("user_id", ["m[/]ark", "a b", "100000000000000001", "x" * MAX_ID_LENGTH, "Zoé"])
async def test_usable_ids_are_kept_as_given(app: FayeApp, user_id: str) -> None:
    registration = await app.onboarding.register(user_id, "", policy_accepted=True)
    assert registration.profile.user_id == user_id
    assert registration.profile.username == user_id
