"""The audit history: every audit kept with its report, in SQLite in the user's data folder
by default, or in PostgreSQL when ``PLANAUDIT_DATABASE_URL`` says so.

``planaudit history`` lists it and shows each municipality's trend (a change only between
audits made with the same scoring profile); ``planaudit serve`` stores every upload's audit
in it. SQLAlchemy and Alembic are imported only with this package, so commands that keep no
history start without them.
"""
from ._errors import HistoryError
from ._location import database_url
from ._store import AuditRecord, HistoryStore, municipality_key
from ._trend import ProfileSeries, profile_series, score_changes

__all__ = ["AuditRecord", "HistoryError", "HistoryStore", "ProfileSeries", "database_url", "municipality_key",
           "profile_series", "score_changes"]
