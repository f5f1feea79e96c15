"""Many plans in one run: folders expanded to their plan files, audited on every core.

Why a process pool: an audit is CPU-bound Python (text extraction, matching), so threads
would share one core. Why each worker builds its own registry from the same settings: a
registry holds a pluggy manager and rule classes made at run time from rule packs, which do
not pickle; loading it again from the same configuration file, strictness and rule packs
gives the same rules under any start method (fork, spawn or forkserver) for about 50 ms per
worker. Results come back in input order whatever the number of workers, so the output is
the same with ``--jobs 1`` and ``--jobs 8``.

A file that cannot be audited, for a known reason or through a bug, is one line on stderr
naming it; the other files are still audited. A worker process that dies outright (a crash
in a native library, the memory killer) breaks the pool; the files it left unfinished are
then audited one per fresh process, so only the file that kills its process is lost.
"""
from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from ..engine import audit, audit_with_plan
from ..errors import PlanauditError, UsageError
from ..model import Plan
from ._common import load_settings, t

__all__ = ["Outcome", "Settings", "audit_batch", "expand_inputs", "plan_extensions"]

#: How far into a file we look to recognise planaudit's own output (reports, summaries).
_HEAD_BYTES = 64 * 1024
_HTML_SIGNATURE = b'<meta name="generator" content="planaudit">'
_KEYS = b"|".join(re.escape(key.encode()) for key in Plan.model_fields)
_YAML_PLAN_KEY = re.compile(rb"^[\"']?(?:" + _KEYS + rb")[\"']?\s*:", re.MULTILINE)
_JSON_PLAN_KEY = re.compile(rb'"(?:' + _KEYS + rb')"\s*:')


@dataclass(frozen=True)
class Settings:
    """What a worker needs to build the same registry as the main process."""

    config_path: Path | None
    strict: bool
    lang: str
    rule_packs: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """One file's result: the audit's value, or the one line that says why there is none."""

    path: Path
    value: Any = None
    error: str | None = None


@dataclass
class _Worker:
    """The audit function a worker process runs, set up once by :func:`_init_worker`."""

    run: Callable[[Path], Any]
    lang: str
    debug: bool = field(default_factory=lambda: bool(os.environ.get("PLANAUDIT_DEBUG")))


_WORKER: _Worker | None = None


# --- which files ---------------------------------------------------------------------------


def plan_extensions(readers: Iterable[Any]) -> frozenset[str]:
    """The file extensions the registered readers (built in or from plugins) take."""
    return frozenset(ext.lower() for reader in readers for ext in getattr(reader, "extensions", ()))


def expand_inputs(paths: Sequence[Path], extensions: frozenset[str], skip: Iterable[Path] = ()) -> list[Path]:
    """The files to audit: each file as given, each folder as the plan files under it.

    In a folder, hidden files and folders are left out, and so are files without a plan
    extension, planaudit's own output (``skip``: the report and summary being written, and
    files recognised as planaudit reports) - so a folder can be audited again after a run
    wrote its reports into it. Files under a folder come sorted by path, so a run is
    repeatable. A folder with no plan file is a usage error.
    """
    skipped = {path.resolve() for path in skip}
    result: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        if not path.is_dir():
            result.append(path)
            seen.add(path.resolve())
            continue
        found = [file for file in _walk(path, extensions)
                 if file.resolve() not in skipped and not _inside(file, skipped) and not _is_own_output(file)]
        if not found:
            raise UsageError(str(path), "mappen inneholder ingen planfiler (" + ", ".join(sorted(extensions)) + ")",
                             "the folder holds no plan files (" + ", ".join(sorted(extensions)) + ")")
        for file in found:
            if file.resolve() not in seen:
                seen.add(file.resolve())
                result.append(file)
    return result


def _walk(root: Path, extensions: frozenset[str]) -> Iterator[Path]:
    files: list[Path] = []
    for folder, dirnames, filenames in os.walk(root):
        dirnames[:] = [name for name in dirnames if not name.startswith(".")]
        files.extend(Path(folder, name) for name in filenames
                     if not name.startswith(".") and Path(name).suffix.lower() in extensions)
    # sorted by path components so that a folder's files come together, the same on every machine
    yield from sorted(files, key=lambda file: file.relative_to(root).parts)


def _inside(file: Path, folders: set[Path]) -> bool:
    return any(parent in folders for parent in file.resolve().parents)


def _is_own_output(file: Path) -> bool:
    """Not a plan: a report or summary planaudit wrote (HTML page, JSON or SARIF report,
    Markdown report), or YAML/JSON data with none of a structured plan's keys (labels,
    settings, a package.json) - a folder of plans often holds such files beside them."""
    try:
        with file.open("rb") as stream:
            head = stream.read(_HEAD_BYTES)
    except OSError:
        return False  # the audit will say what is wrong with it
    suffix = file.suffix.lower()
    if suffix in (".html", ".htm", ".xhtml", ".xht"):
        return _HTML_SIGNATURE in head
    if suffix == ".json":
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        # a structured plan is one object; a list or an object with these keys is a report
        return (text.startswith(b"[") or b'"planaudit_version"' in head or b"sarif-schema" in head
                or not _JSON_PLAN_KEY.search(head))
    if suffix in (".yaml", ".yml"):
        return not _YAML_PLAN_KEY.search(head)
    if suffix in (".md", ".markdown"):
        first = head.lstrip().split(b"\n", 1)[0]
        return first.startswith(b"# ") and b"planaudit" in first
    return False


# --- auditing ------------------------------------------------------------------------------


def audit_batch(files: Sequence[Path], *, jobs: int, settings: Settings, options: dict[str, Any],
                with_plan: bool, progress: bool) -> list[Outcome]:
    """Audit ``files`` with ``options`` (those of :func:`planaudit.engine.audit`), in order.

    ``options["registry"]`` serves the main process; workers build their own from
    ``settings``. ``with_plan`` returns ``(report, plan)`` pairs (for ``--explain``).
    ``progress`` shows a bar with count and time left on stderr: of the plans, or for one
    plan read with OCR, of its pages.
    """
    lang = settings.lang
    # one plan: its scanned pages are read on every core; several: a core a plan
    options = options | {"ocr_jobs": jobs if len(files) == 1 else 1}
    pages = _PageBar(lang) if progress and len(files) == 1 and options.get("ocr") else None
    with click.progressbar(length=len(files), label=t(lang, "Reviderer", "Auditing"), file=sys.stderr,
                           show_pos=True, show_eta=True, hidden=not progress or len(files) == 1) as bar:
        if jobs <= 1 or len(files) <= 1:
            worker = _Worker(_runner(options | ({"ocr_progress": pages.update} if pages else {}), with_plan), lang)
            outcomes = []
            for path in files:
                outcomes.append(_attempt(worker, path))
                bar.update(1)
            if pages is not None:
                pages.close()
            return outcomes
        portable = {key: value for key, value in options.items() if key != "registry"}
        return _in_pool(files, min(jobs, len(files)), (settings, portable, with_plan), bar.update)


class _PageBar:
    """A bar of the pages one plan has had read by OCR, opened when the first page is done
    (only then is the number of scanned pages known)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.bar: Any = None

    def update(self, done: int, total: int) -> None:
        if self.bar is None:
            label = t(self.lang, "Leser sider med OCR", "Reading pages with OCR")
            self.bar = click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True, show_eta=True)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _runner(options: dict[str, Any], with_plan: bool) -> Callable[[Path], Any]:
    run = audit_with_plan if with_plan else audit
    return lambda path: run(path, **options)


def _attempt(worker: _Worker, path: Path) -> Outcome:
    """One file: its result, or the one line a known error or a bug gives."""
    try:
        return Outcome(path, worker.run(path))
    except PlanauditError as err:
        message = err.message(worker.lang)
        return Outcome(path, error=message if message.startswith(str(path)) else f"{path}: {message}")
    except Exception as err:  # a bug in a rule or reader must not end the batch
        if worker.debug:
            traceback.print_exc()
        return Outcome(path, error=f"{path}: " + t(
            worker.lang, f"intern feil: {type(err).__name__}: {err} (PLANAUDIT_DEBUG=1 viser detaljer)",
            f"internal error: {type(err).__name__}: {err} (PLANAUDIT_DEBUG=1 shows details)"))


def _init_worker(settings: Settings, options: dict[str, Any], with_plan: bool) -> None:
    """Set a worker process up: Ctrl-C is the main process's to handle, and the registry is
    built from the same settings (its plugin warnings were already shown once)."""
    global _WORKER
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.redirect_stderr(io.StringIO()):
        registry, _ = load_settings(settings.config_path, settings.strict, settings.lang, settings.rule_packs)
    _WORKER = _Worker(_runner({**options, "registry": registry}, with_plan), settings.lang)


def _work(path: Path) -> Outcome:
    assert _WORKER is not None, "the pool's initializer sets the worker up"
    return _attempt(_WORKER, path)


def _in_pool(files: Sequence[Path], workers: int, setup: tuple[Settings, dict[str, Any], bool],
             advance: Callable[[int], None]) -> list[Outcome]:
    """All files on ``workers`` processes; after a worker died, the rest one per process."""
    outcomes: dict[int, Outcome] = {}
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=setup)
    try:
        futures: dict[Future[Outcome], int] = {pool.submit(_work, path): index for index, path in enumerate(files)}
        for future in as_completed(futures):
            with contextlib.suppress(BrokenProcessPool):
                outcomes[futures[future]] = future.result()
                advance(1)
    except KeyboardInterrupt:
        _stop(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    for index, path in enumerate(files):
        if index not in outcomes:
            outcomes[index] = _alone(path, setup)
            advance(1)
    return [outcomes[index] for index in range(len(files))]


def _alone(path: Path, setup: tuple[Settings, dict[str, Any], bool]) -> Outcome:
    """One file in a process of its own, so that a crash there takes only this file."""
    pool = ProcessPoolExecutor(max_workers=1, initializer=_init_worker, initargs=setup)
    try:
        return pool.submit(_work, path).result()
    except BrokenProcessPool:
        lang = setup[0].lang
        return Outcome(path, error=f"{path}: " + t(
            lang, "prosessen som reviderte filen stoppet uventet (krasj eller for lite minne)",
            "the process auditing the file stopped unexpectedly (a crash or out of memory)"))
    except KeyboardInterrupt:
        _stop(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Ctrl-C: drop the queued files and end the workers now rather than after their file.

    The executor has no public way to end its processes; ``_processes`` is read defensively.
    """
    processes = list((getattr(pool, "_processes", None) or {}).values())  # shutdown forgets them
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
