"""Schema versions through Alembic: create an empty database at head, refuse to run on an old one.

A database made before migrations existed (tables but no `alembic_version`) counts as the baseline revision;
`faye db upgrade` stamps it and moves it on, keeping every row.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

from faye.errors import SchemaOutdated

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


def inspect_schema(connection: Connection) -> SchemaState:
    current = MigrationContext.configure(connection).get_current_revision()
    if current is None and inspect(connection).has_table("user"):
        return SchemaState(current=BASELINE, head=head_revision(), legacy=True)
    return SchemaState(current=current, head=head_revision())


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
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, target)


def ensure_current(connection: Connection) -> None:
    """Create an empty database at head; refuse (SchemaOutdated) one at an older revision."""
    state = inspect_schema(connection)
    if state.current is None:
        upgrade(connection)
    elif not state.up_to_date:
        raise SchemaOutdated(
            f"the database schema is at revision {state.current} but this Faye needs {state.head}: "
            "back up the database, then upgrade its schema",
            current=state.current,
            head=state.head,
        )
