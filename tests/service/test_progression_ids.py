"""An Esprit's id is its name for life: once released or consumed, its id is never given to another Esprit, or
the new one would inherit the old one's history (and `faye esprit history ID` would tell two lives as one)."""

from __future__ import annotations

from faye.app import FayeApp
from faye.services.admin import CONSOLE
from faye.services.progression import ReleaseSelection
from tests.conftest import register
from tests.service.progression_setup import copies, everything

MAX_SINGLE_PULLS = 30


async def test_a_released_esprits_id_is_never_given_again(app: FayeApp) -> None:
    await register(app, "ann")
    newest = (await app.summons.summon("ann", 1)).esprits[0].id
    await app.progression.release("ann", ReleaseSelection(ids=(newest,)))

    starter = (await register(app, "bo")).starter

    assert starter.id > newest
    assert [e.kind for e in (await app.progression.history(None, starter.id)).events] == ["created"]
    assert (await app.admin.audit(CONSOLE)).problems == []


async def test_a_consumed_esprits_id_is_never_given_again(app: FayeApp) -> None:
    await register(app, "ann")
    target = (await copies(app, "ann", 1))[0]
    for _ in range(MAX_SINGLE_PULLS):  # until the newest Esprit of all is a copy of one the player has
        owned = [e for e in await everything(app, "ann") if not e.active]
        newest = owned[-1]
        target = next((e for e in owned[:-1] if e.esprit_id == newest.esprit_id), target)
        if target.esprit_id == newest.esprit_id:
            break
        await app.admin.grant(CONSOLE, "ann", "gems", app.config.settings.summon.single_cost)
        await app.summons.summon("ann", 1)
    assert (await app.progression.ascend("ann", target.id, using=[newest.id])).consumed == [newest.id]

    starter = (await register(app, "bo")).starter

    assert starter.id > newest.id
    assert [e.kind for e in (await app.progression.history(None, starter.id)).events] == ["created"]
    assert (await app.admin.audit(CONSOLE)).problems == []
