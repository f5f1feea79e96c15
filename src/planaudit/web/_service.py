"""What the API and the pages share: the registry, the audit pool, the history store, and
the one way an upload becomes a stored report.

The app's lifespan starts the pool and opens the store; both endpoints modules reach this
object through ``request.app.state.service``. The store's calls block (SQLAlchemy), so
they run in the thread pool, never on the event loop.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from starlette.concurrency import run_in_threadpool

from ..engine import Registry, ReportContext, version
from ..errors import PlanauditError
from ..model import AuditReport
from ._errors import ApiError
from ._pool import AuditPool
from ._settings import ServeSettings

__all__ = ["Service", "Store"]


class Store(Protocol):
    """The part of ``planaudit.history.HistoryStore`` the web service uses (a protocol, so
    tests can hand the app a store that fails on purpose)."""

    url: str

    def add(self, report: AuditReport, *, document_name: str, source: str = "web",
            document: bytes | None = None) -> Any: ...
    def get(self, audit_id: str) -> Any: ...
    def report(self, audit_id: str) -> AuditReport | None: ...
    def list(self, *, municipality: str | None = None, limit: int = 50, offset: int = 0) -> list[Any]: ...
    def trend(self, municipality: str) -> list[Any]: ...
    def municipalities(self) -> list[tuple[str, int]]: ...
    def ping(self) -> None: ...
    def close(self) -> None: ...


@dataclass
class Service:
    settings: ServeSettings
    registry: Registry
    #: the default profile: --profile, else the configuration's, else "kommune"
    profile: str
    pool: AuditPool | None = None
    store: Store | None = None
    _contexts: dict[str, ReportContext] = field(default_factory=dict)

    def context(self, lang: str) -> ReportContext:
        """The reporters' context, as ``planaudit check`` builds it."""
        if lang not in self._contexts:
            self._contexts[lang] = ReportContext(lang=lang, rules=tuple(self.registry.rule_infos()),
                                                 tool_version=version(),
                                                 criterion_titles=self.registry.criterion_titles(lang))
        return self._contexts[lang]

    def render(self, report: AuditReport, fmt: str, lang: str) -> str:
        return self.registry.reporter(fmt).render([report], self.context(lang))

    def choose_profile(self, name: str | None) -> str:
        """The profile asked for (validated), or the default."""
        if not name:
            return self.profile
        if name not in self.registry.profiles:
            raise ApiError("unknown_profile", profile=name, known=", ".join(sorted(self.registry.profiles)))
        return name

    def refuse_if_full(self) -> None:
        """``server_busy`` before an upload is read, when the audit queue is full."""
        assert self.pool is not None, "the app's lifespan starts the service"
        self.pool.refuse_if_full()

    async def audit(self, data: bytes, name: str, *, profile: str | None, lang: str | None,
                    source: str) -> tuple[str, AuditReport]:
        """Audit an upload, store the report, and give its id and the report."""
        assert self.pool is not None and self.store is not None, "the app's lifespan starts the service"
        chosen = self.choose_profile(profile)
        report = await self.pool.audit(data, name, profile=chosen, lang=lang or self.settings.lang)
        document = data if self.settings.keep_documents else None
        record = await self.call_store(self.store.add, report, document_name=name, source=source, document=document)
        return str(record.id), report

    async def call_store(self, method: Any, *args: Any, **kwargs: Any) -> Any:
        """A store call in a thread; a database that fails is ``database_unavailable``."""
        try:
            return await run_in_threadpool(method, *args, **kwargs)
        except PlanauditError as err:
            raise ApiError("database_unavailable", detail=(err.nb, err.en)) from None
