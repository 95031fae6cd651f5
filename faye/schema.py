"""Schema versions through Alembic: create an empty database at head, refuse to run on an old one, and refuse to
touch one that a newer Faye wrote.

A database made before migrations existed (tables but no `alembic_version`) counts as the baseline revision;
upgrading it stamps it and moves it on, keeping every row.

`inspect_schema` is the one reading of `alembic_version`, and everything else (starting the game, upgrading,
downgrading, reporting the revision) goes through it, so none of them can act on a database it does not
understand: a revision this Faye does not know means a newer Faye wrote it (SchemaTooNew, naming the revision);
more than one row is a version table this Faye cannot interpret — SchemaTooNew too when one of the revisions is
unknown, else DatabaseUnavailable (the table was edited by hand) — naming every revision.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

from faye.errors import DatabaseUnavailable, SchemaOutdated, SchemaTooNew

BASELINE = "0001_baseline"


@dataclass(frozen=True)
class SchemaState:
    current: str | None
    """The database's revision; None for an empty database."""
    head: str
    legacy: bool = False
    """Tables made before migrations existed: treated as the baseline."""

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def alembic_config() -> Config:
    """A fresh config per use: the connection travels in its `attributes`."""
    config = Config()
    config.set_main_option("script_location", "faye:migrations")
    return config


@lru_cache(maxsize=1)
def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


@lru_cache(maxsize=1)
def known_revisions() -> frozenset[str]:
    """Every revision this Faye's migrations define."""
    return frozenset(script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions())


def inspect_schema(connection: Connection) -> SchemaState:
    """The database's revision (read only). Raises SchemaTooNew for a revision this Faye does not know, and
    SchemaTooNew or DatabaseUnavailable for a version table with several rows (module docstring)."""
    heads = MigrationContext.configure(connection).get_current_heads()
    head = head_revision()
    unknown = sorted(set(heads) - known_revisions())
    if len(heads) > 1:
        listed = ", ".join(sorted(heads))
        if unknown:
            raise SchemaTooNew(
                f"the database's schema version table lists several revisions ({listed}), and this Faye does not "
                f"know {', '.join(unknown)}: a newer Faye wrote it, this one is older (its newest revision is "
                f"{head}) and leaves the database untouched",
                revisions=sorted(heads),
                head=head,
            )
        raise DatabaseUnavailable(
            f"the database's schema version table lists several revisions ({listed}) where there should be one; "
            "it was edited by hand or by another tool: restore it from a backup (or keep the right row only)",
            revisions=sorted(heads),
            head=head,
        )
    if unknown:
        raise SchemaTooNew(
            f"the database schema is at revision {unknown[0]}, which this Faye does not know: a newer Faye wrote "
            f"it, and this one is older (its newest revision is {head}). The database is left untouched; run the "
            "newer Faye",
            current=unknown[0],
            head=head,
        )
    current = heads[0] if heads else None
    if current is None and inspect(connection).has_table("user"):
        return SchemaState(current=BASELINE, head=head, legacy=True)
    return SchemaState(current=current, head=head)


def require_current(state: SchemaState) -> None:
    """Refuse (SchemaOutdated) a database at an older revision than this Faye's."""
    if state.current is not None and not state.up_to_date:
        raise SchemaOutdated(
            f"the database schema is at revision {state.current} but this Faye needs {state.head}: the database "
            "needs an upgrade",
            current=state.current,
            head=state.head,
        )


def upgrade(connection: Connection, target: str = "head") -> SchemaState:
    """Bring the schema to `target` on this connection (inside the caller's transaction); returns the state before."""
    before = inspect_schema(connection)
    config = alembic_config()
    config.attributes["connection"] = connection
    if before.legacy:
        command.stamp(config, BASELINE)
    command.upgrade(config, target)
    return before


def downgrade(connection: Connection, target: str) -> None:
    """Step the schema back to `target` (an operator's rollback after a bad release)."""
    inspect_schema(connection)  # refuses a database this Faye does not understand before Alembic touches it
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, target)


def ensure_current(connection: Connection) -> None:
    """Create an empty database at head; refuse one at an older revision (SchemaOutdated) or a newer one
    (SchemaTooNew)."""
    state = inspect_schema(connection)
    if state.current is None:
        upgrade(connection)
    else:
        require_current(state)
