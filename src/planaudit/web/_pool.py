"""The audit processes: a hostile file may hang or crash its process, never the server.

Each audit runs in a pebble process pool: ``timeout`` seconds after it started, a process
still auditing is killed and replaced, and the client gets ``audit_timeout``; a process
that dies (a crash in a native library, the address-space limit) gives ``audit_crashed``
and pebble starts a new one. Audits waiting for a free process are bounded: past
``max_waiting`` the server answers ``server_busy`` (503, ``Retry-After``) at once instead
of queueing without end.

Why each worker builds its own registry from the settings (as ``check --jobs`` does, see
``planaudit.cli._batch``): a registry holds a pluggy manager and rule classes made at run
time from rule packs, which do not pickle. Processes start from a fork server (spawn where
there is none), never by forking the server itself, whose threads may hold locks.
"""
from __future__ import annotations

import asyncio
import contextlib
import importlib
import io
import multiprocessing
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from typing import Any

from pebble import ProcessExpired, ProcessPool

from ..engine import load_settings
from ..errors import PlanauditError
from ..model import AuditReport
from ._errors import ApiError, seconds
from ._settings import ServeSettings, default_workers

__all__ = ["AuditFailure", "AuditPool"]

#: Seconds a client told ``server_busy`` is asked to wait.
RETRY_AFTER = 5


@dataclass(frozen=True)
class AuditFailure:
    """Why a worker has no report, in a form that pickles (PlanauditError does not:
    its constructor takes three arguments, its ``args`` one)."""

    kind: str  # "input" (a known error: the file or plan), "memory", "bug"
    nb: str
    en: str


@dataclass
class _Worker:
    run: Callable[..., AuditReport]
    options: dict[str, Any]


_WORKER: _Worker | None = None


def _context() -> BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        # the fork server imports the engine once; each worker forked from it starts warm
        context.set_forkserver_preload(["planaudit.engine", "planaudit.web._pool"])
        return context
    return multiprocessing.get_context("spawn")


def _limit_memory(limit: int | None) -> None:
    """Cap the worker's address space, so a decompression bomb ends in MemoryError (or the
    process's death) there rather than in the machine's memory killer."""
    if not limit:
        return
    try:
        import resource
    except ImportError:  # not on POSIX: no limit
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _resolve(dotted: str) -> Callable[..., AuditReport]:
    module, _, name = dotted.partition(":")
    function = getattr(importlib.import_module(module), name)
    assert callable(function), f"{dotted} is no function"
    return function  # type: ignore[no-any-return]


def _init_worker(settings: ServeSettings, options: dict[str, Any]) -> None:
    """Ctrl-C is the server's to handle; the registry comes from the same settings (its
    plugin warnings were shown once, by the server)."""
    global _WORKER
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.redirect_stderr(io.StringIO()):
        registry, _ = load_settings(settings.config_path, strict=settings.strict, lang=settings.lang,
                                    rule_packs=settings.rule_packs)
    _WORKER = _Worker(_resolve(settings.audit_function), {**options, "registry": registry})
    _limit_memory(settings.memory_limit)


def _work(data: bytes, name: str, profile: str, lang: str) -> AuditReport | AuditFailure:
    """One audit in a worker: the report, or why there is none."""
    assert _WORKER is not None, "the pool's initializer sets the worker up"
    try:
        return _WORKER.run(data, **{**_WORKER.options, "name": name, "profile": profile, "lang": lang})
    except PlanauditError as err:
        return AuditFailure("input", err.message("nb"), err.message("en"))
    except MemoryError:
        return AuditFailure("memory", "", "")
    except Exception as err:  # a bug in a reader or rule: logged here, one line for the client
        traceback.print_exc(file=sys.stderr)
        return AuditFailure("bug", f"{type(err).__name__}: {err}", f"{type(err).__name__}: {err}")


def ocr_jobs(workers: int) -> int:
    """Pages one audit reads with OCR at a time: the cores shared among the audit processes,
    so that Tesseract, a process of its own for each page, never runs on more cores than the
    server has when every audit process is reading a scan (with the default of one audit
    process per core, one page at a time)."""
    return max(1, default_workers() // max(1, workers))


class AuditPool:
    """``settings.workers`` audit processes with a time limit each and a bounded wait."""

    def __init__(self, settings: ServeSettings, options: dict[str, Any]) -> None:
        portable = {key: value for key, value in options.items() if key not in ("registry", "profile", "lang")}
        if portable.get("ocr"):
            portable["ocr_jobs"] = ocr_jobs(settings.workers)
        self._timeout = settings.audit_timeout(bool(portable.get("ocr")))
        self._capacity = settings.workers + settings.max_waiting
        self._pending = 0
        self._lock = threading.Lock()
        self._pool = ProcessPool(max_workers=settings.workers, initializer=_init_worker,
                                 initargs=(settings, portable), context=_context())

    @property
    def timeout(self) -> float:
        """Seconds one audit may take."""
        return self._timeout

    @property
    def pending(self) -> int:
        """Audits running or waiting."""
        return self._pending

    def refuse_if_full(self) -> None:
        """``server_busy`` now, before the upload is read, when no audit could start or wait:
        receiving and parsing bodies that will be refused anyway costs the audits' CPU."""
        if self._pending >= self._capacity:
            raise ApiError("server_busy", headers={"Retry-After": str(RETRY_AFTER)}, retry=seconds(RETRY_AFTER))

    async def audit(self, data: bytes, name: str, *, profile: str, lang: str) -> AuditReport:
        """The report for ``data``, or an :class:`ApiError` saying why there is none."""
        with self._lock:
            if self._pending >= self._capacity:
                raise ApiError("server_busy", headers={"Retry-After": str(RETRY_AFTER)}, retry=seconds(RETRY_AFTER))
            self._pending += 1
        try:
            future = self._pool.schedule(_work, args=(data, name, profile, lang), timeout=self._timeout)
            try:
                result = await asyncio.wrap_future(future)
            except FutureTimeout:
                raise ApiError("audit_timeout", name=name, seconds=seconds(self._timeout)) from None
            except ProcessExpired:
                raise ApiError("audit_crashed", name=name) from None
        finally:
            with self._lock:
                self._pending -= 1
        if isinstance(result, AuditReport):
            return result
        raise _failure_error(result, name)

    def close(self) -> None:
        """End the workers now: an audit still running has no one left to answer."""
        self._pool.stop()
        self._pool.join(timeout=10)


def _failure_error(failure: AuditFailure, name: str) -> ApiError:
    if failure.kind == "memory":
        return ApiError("audit_crashed", name=name)
    if failure.kind == "bug":
        return ApiError("internal_error")
    return ApiError("unreadable_document", detail=(failure.nb, failure.en))
