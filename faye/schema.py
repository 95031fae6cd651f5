"""Schema versions through Alembic: create an empty database at head, refuse to run on an old one, and refuse to
touch one that a newer Faye wrote.

A database made before migrations existed (tables but no `alembic_version`) counts as the baseline revision;
upgrading it stamps it and moves it on, keeping every row.

`inspect_schema` is the one reading of `alembic_version`, and everything else (starting the game, upgrading,
downgrading, reporting the revision) goes through it, so none of them can act on a database it does not
understand: a revision this Faye does not know means a newer Faye wrote it (SchemaTooNew, naming the revision);
more than one row is a version table this Faye cannot interpret — SchemaTooNew too when one of the revisions is
unknown, else DatabaseUnavailable (the table was edited by hand) — naming every revision.

Alembic is imported only to change the schema (create, upgrade, downgrade, stamp): it and its templating add a
tenth of a second to a process, and an ordinary start only compares the one stored revision with `HEAD`, in
plain SQL. `HEAD` and `KNOWN_REVISIONS` restate what the migration scripts define, and a test checks them
against Alembic's own reading of faye/migrations/versions (`script_head`, `script_revisions`), so a new migration
that forgets them fails the suite.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from sqlalchemy import Connection, inspect, text

from faye.errors import DatabaseUnavailable, SchemaOutdated, SchemaTooNew

if TYPE_CHECKING:
    from alembic.config import Config

BASELINE: Final = "0001_baseline"
HEAD: Final = "0009_rate_limits"
"""The newest revision in faye/migrations/versions: the one schema this Faye runs on."""
KNOWN_REVISIONS: Final = frozenset(
    {
        BASELINE,
        "0002_auction",
        "0003_bigint_ids",
        "0004_progression",
        "0005_trades",
        "0006_banners",
        "0007_battles",
        "0008_forget",
        HEAD,
    }
)
"""Every revision faye/migrations/versions defines; any other in a database was written by a newer Faye."""
VERSION_TABLE: Final = "alembic_version"


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
    """A fresh config per use: the connection travels in its `attributes`. Imports Alembic."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "faye:migrations")
    return config


def script_head() -> str | None:
    """The newest revision as Alembic reads the migration scripts (what `HEAD` must say)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def script_revisions() -> frozenset[str]:
    """Every revision as Alembic reads the migration scripts (what `KNOWN_REVISIONS` must say)."""
    from alembic.script import ScriptDirectory

    return frozenset(script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions())


def head_revision() -> str:
    """The newest revision (`HEAD`)."""
    return HEAD


def stored_revisions(connection: Connection) -> list[str]:
    """The rows of the version table, sorted; none when the table does not exist (an empty or legacy database)."""
    if not inspect(connection).has_table(VERSION_TABLE):
        return []
    return sorted(str(row[0]) for row in connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")))


def inspect_schema(connection: Connection) -> SchemaState:
    """The database's revision (read only). Raises SchemaTooNew for a revision this Faye does not know, and
    SchemaTooNew or DatabaseUnavailable for a version table with several rows (module docstring)."""
    heads = stored_revisions(connection)
    head = HEAD
    unknown = sorted(set(heads) - KNOWN_REVISIONS)
    if len(heads) > 1:
        listed = ", ".join(heads)
        if unknown:
            raise SchemaTooNew(
                f"the database's schema version table lists several revisions ({listed}), and this Faye does not "
                f"know {', '.join(unknown)}: a newer Faye wrote it, this one is older (its newest revision is "
                f"{head}) and leaves the database untouched",
                revisions=heads,
                head=head,
            )
        raise DatabaseUnavailable(
            f"the database's schema version table lists several revisions ({listed}) where there should be one; "
            "it was edited by hand or by another tool: restore it from a backup (or keep the right row only)",
            revisions=heads,
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
    from alembic import command

    before = inspect_schema(connection)
    config = alembic_config()
    config.attributes["connection"] = connection
    if before.legacy:
        command.stamp(config, BASELINE)
    command.upgrade(config, target)
    return before


def downgrade(connection: Connection, target: str) -> None:
    """Step the schema back to `target` (an operator's rollback after a bad release)."""
    from alembic import command

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
