"""The schema brought up to date with Alembic, run from code: users need no alembic.ini.

Runs in one transaction, under a lock, so several server processes that start together on
one database migrate it once: PostgreSQL takes an advisory lock, SQLite a write lock
(``BEGIN IMMEDIATE``, see ``_store``). A database whose schema is newer than any migration
this planaudit knows is refused rather than written to.
"""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from ._errors import HistoryError
from ._tables import VERSION_TABLE

__all__ = ["MIGRATIONS", "WRITE", "current_revision", "head_revision", "upgrade"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: The execution option that makes a SQLite transaction take the write lock at BEGIN.
WRITE = "planaudit_write"
# Any constant shared by every planaudit process; 'planaudi' in ASCII, a signed 64-bit int.
_LOCK_KEY = 0x706C616E61756469


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    # configparser reads % as interpolation; a folder name may hold one
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    config.attributes["connection"] = connection
    config.attributes["version_table"] = VERSION_TABLE
    return config


def head_revision() -> str:
    """The newest migration this planaudit ships."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, "planaudit.history ships no migrations"
    return head


def current_revision(connection: Connection) -> str | None:
    """The database's schema revision; None for a database planaudit has not used."""
    context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
    return context.get_current_revision()


def upgrade(engine: Engine, subject: str) -> None:
    """Bring the schema to the newest migration, once, whoever else is starting now."""
    with engine.connect() as connection:
        connection.execution_options(**{WRITE: True})
        with connection.begin():
            if connection.dialect.name == "postgresql":
                # released at commit; a second process waits here, then finds the schema done
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
            config = _config(connection)
            script = ScriptDirectory.from_config(config)
            current = current_revision(connection)
            if current is not None and current not in {rev.revision for rev in script.walk_revisions()}:
                raise HistoryError(
                    subject,
                    f"databasens skjema (versjon {current}) er nyere enn denne planaudit kjenner; "
                    "oppgrader planaudit",
                    f"the database's schema (revision {current}) is newer than this planaudit knows; "
                    "upgrade planaudit")
            if current != script.get_current_head():
                command.upgrade(config, "head")
