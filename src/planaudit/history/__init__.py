"""The audit history: every audit kept with its report, in SQLite in the user's data folder
by default, or in PostgreSQL when ``PLANAUDIT_DATABASE_URL`` says so.

``planaudit history`` lists it and shows each municipality's trend; ``planaudit serve``
stores every upload's audit in it. SQLAlchemy and Alembic are imported only with this
package, so commands that keep no history start without them.
"""
from ._errors import HistoryError
from ._location import database_url
from ._store import AuditRecord, HistoryStore, municipality_key

__all__ = ["AuditRecord", "HistoryError", "HistoryStore", "database_url", "municipality_key"]
