#!/usr/bin/env python3
"""Load test: concurrent clients uploading a 30-page plan to ``planaudit serve``.

Issue 8 asks how the web service holds up when many people upload at once: how many audits
per second it gives, and how long a user waits (p50/p95/max) when 20 clients upload a
30-page plan at the same time. This script starts the real server as a user would
(``planaudit serve`` on a free 127.0.0.1 port, with a throwaway SQLite history in a
temporary folder), waits for ``/healthz``, then runs ``--clients`` concurrent clients that
each upload the plan to ``POST /api/v1/audits`` until ``--requests`` uploads are done or
``--duration`` seconds have passed. It prints requests per second, latency percentiles,
the status codes seen, the server's CPU count and audit workers, and the CPU the server
(with its worker processes) used.

It is bounded and loopback only on purpose: it never sends more than MAX_REQUESTS uploads,
never runs longer than MAX_DURATION seconds, and ``--url`` (a server already running) is
refused unless its host is a loopback address - it is not a tool for loading someone
else's server.

A ``503 server_busy`` answer (the server's bounded queue is full) is counted but is not a
failure: it is the server protecting itself, and the client waits as its ``Retry-After``
header says (at most MAX_RETRY_AFTER seconds) before the next upload. Any other
answer than ``201 Created``, a connection error or a client timeout is a failure, and the
script exits 1.

    python bench/bench_serve.py [--clients 20] [--requests 200 | --duration 60]
                                [--pages 30] [--format pdf|docx] [--workers N]
                                [--url http://127.0.0.1:8000] [--json]
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import ipaddress
import json
import math
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "fixtures"))

import generate  # noqa: E402  (fixtures/generate.py, not an installed module)

MAX_CLIENTS = 100
MAX_REQUESTS = 2000
MAX_DURATION = 600.0
STARTUP_SECONDS = 60.0
MAX_RETRY_AFTER = 5.0
MEDIA_TYPES = {"pdf": "application/pdf",
               "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


@dataclasses.dataclass(frozen=True)
class Outcome:
    """One upload as the client saw it: status (0 = no answer), error code, seconds."""

    status: int
    code: str | None
    seconds: float
    retry_after: float = 0.0


@dataclasses.dataclass
class Server:
    """The server under test: its base URL, and the process when this script started it."""

    url: str
    process: subprocess.Popen[bytes] | None = None
    workers: int | None = None


# --- arguments ------------------------------------------------------------------------------


def _bounded(kind: type, low: float, high: float):  # type: ignore[no-untyped-def]
    def parse(value: str):  # type: ignore[no-untyped-def]
        number = kind(value)
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"must be between {low:g} and {high:g}")
        return number
    return parse


def loopback_url(value: str) -> str:
    """``value`` when its host is a loopback address (127.0.0.0/8, ::1, or a name that
    resolves only to those); otherwise an argparse error."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(f"{value!r} is not an http(s) URL")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 80, proto=socket.IPPROTO_TCP)
    except socket.gaierror as error:
        raise argparse.ArgumentTypeError(f"{parts.hostname}: {error.strerror}") from error
    addresses = {info[4][0] for info in infos}
    if not addresses or not all(ipaddress.ip_address(address.split("%")[0]).is_loopback for address in addresses):
        raise argparse.ArgumentTypeError(
            f"{parts.hostname} is not a loopback address ({', '.join(sorted(addresses))}); "
            "this load test only runs against a server on this machine")
    return value.rstrip("/")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=_bounded(int, 1, MAX_CLIENTS), default=20,
                        help=f"concurrent clients (default 20, at most {MAX_CLIENTS})")
    parser.add_argument("--requests", type=_bounded(int, 1, MAX_REQUESTS), default=None,
                        help=f"uploads in all (default 200 unless --duration; at most {MAX_REQUESTS})")
    parser.add_argument("--duration", type=_bounded(float, 1, MAX_DURATION), default=None,
                        help=f"upload for this many seconds (at most {MAX_DURATION:g})")
    parser.add_argument("--pages", type=_bounded(int, 1, 500), default=30, help="pages in the plan (default 30)")
    parser.add_argument("--format", choices=sorted(MEDIA_TYPES), default="pdf", help="plan format (default pdf)")
    parser.add_argument("--plan", default="plan_nb", help="fixture plan source (fixtures/source/NAME.yaml)")
    parser.add_argument("--workers", type=_bounded(int, 1, 64), default=None,
                        help="audit workers for the server this script starts (default: the server's own)")
    parser.add_argument("--timeout", type=_bounded(float, 1, MAX_DURATION), default=300.0,
                        help="client timeout per upload in seconds (default 300)")
    parser.add_argument("--url", type=loopback_url, default=None,
                        help="test a server already running on this machine instead of starting one")
    parser.add_argument("--json", action="store_true", help="also print the numbers as one JSON line")
    return parser


# --- the plan -------------------------------------------------------------------------------


def make_plan(name: str, pages: int, fmt: str) -> bytes:
    """The fixture plan ``name`` stretched to ``pages`` pages and rendered as ``fmt``."""
    source = generate.SOURCE_DIR / f"{name}.yaml"
    return generate.render(generate.with_page_count(generate.load_plan(source), pages), fmt)


# --- the server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_healthy(server: Server, log: Path | None) -> dict:
    """The /healthz body once the server answers 200; exits when it dies or never does."""
    deadline = time.monotonic() + STARTUP_SECONDS
    last = "no answer"
    while time.monotonic() < deadline:
        if server.process is not None and server.process.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:] if log else ""
            sys.exit(f"planaudit serve exited with {server.process.returncode} before it was ready:\n{tail}")
        try:
            answer = httpx.get(f"{server.url}/healthz", timeout=5)
            if answer.status_code == 200:
                return answer.json()
            last = f"{answer.status_code} {answer.text[:200]}"
        except httpx.HTTPError as error:
            last = str(error) or type(error).__name__
        time.sleep(0.2)
    sys.exit(f"{server.url}/healthz did not answer 200 within {STARTUP_SECONDS:g} s ({last})")


@contextlib.contextmanager
def started_server(folder: Path, workers: int | None) -> Iterator[Server]:
    """``planaudit serve`` on a free loopback port with its history in ``folder``."""
    port = free_port()
    command = [sys.executable, "-m", "planaudit", "serve", "--host", "127.0.0.1", "--port", str(port)]
    if workers is not None:
        command += ["--workers", str(workers)]
    env = {**os.environ, "PLANAUDIT_DATABASE_URL": f"sqlite:///{folder / 'h.sqlite3'}",
           "XDG_DATA_HOME": str(folder)}
    log = folder / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", process, workers)
    try:
        wait_until_healthy(server, log)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def usable_cores() -> int:
    """The cores this machine lets a process use (what ``planaudit serve`` defaults to)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def process_tree_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) used by ``pid``, its finished children and its live
    descendants, from /proc (Linux); None where /proc is not there."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    proc = Path("/proc")
    if not (proc / str(pid) / "stat").exists():
        return None
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        # utime, stime, cutime, cstime (fields 14-17 of stat; index 11-14 after the name)
        times[int(entry.name)] = sum(int(value) for value in fields[11:15]) / ticks
    tree, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, owner in parents.items() if owner == parent and child not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(times.get(member, 0.0) for member in tree)


# --- the clients ----------------------------------------------------------------------------


async def upload(client: httpx.AsyncClient, plan: bytes, name: str, media_type: str) -> Outcome:
    start = time.perf_counter()
    try:
        answer = await client.post("/api/v1/audits", files={"file": (name, plan, media_type)})
    except httpx.HTTPError as error:
        return Outcome(0, type(error).__name__, time.perf_counter() - start)
    seconds = time.perf_counter() - start
    code = None
    if answer.status_code != 201:
        with contextlib.suppress(ValueError, AttributeError, TypeError):
            code = answer.json()["error"]["code"]
    retry_after = 0.0
    with contextlib.suppress(TypeError, ValueError):
        retry_after = min(MAX_RETRY_AFTER, max(0.0, float(answer.headers.get("Retry-After"))))
    return Outcome(answer.status_code, code, seconds, retry_after)


async def run_load(url: str, plan: bytes, name: str, media_type: str, clients: int, requests: int,
                   duration: float, timeout: float) -> tuple[list[Outcome], float]:
    """Every upload's outcome and the wall seconds, ``clients`` at a time, until
    ``requests`` uploads have been started or ``duration`` seconds have passed."""
    started = 0
    outcomes: list[Outcome] = []
    deadline = time.monotonic() + duration
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client_loop(client: httpx.AsyncClient) -> None:
        nonlocal started
        while started < requests and time.monotonic() < deadline:
            started += 1  # no await between check and increment: the event loop is single-threaded
            outcome = await upload(client, plan, name, media_type)
            outcomes.append(outcome)
            if outcome.status == 503 and outcome.retry_after:
                # a polite client waits as told rather than asking again at once
                await asyncio.sleep(min(outcome.retry_after, max(0.0, deadline - time.monotonic())))

    async with httpx.AsyncClient(base_url=url, timeout=timeout, limits=limits) as client:
        start = time.perf_counter()
        await asyncio.gather(*(client_loop(client) for _ in range(clients)))
        return outcomes, time.perf_counter() - start


# --- the numbers ----------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (0 < fraction <= 1) of ``values``."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def summarise(outcomes: list[Outcome], wall: float) -> dict:
    done = [outcome.seconds for outcome in outcomes if outcome.status == 201]
    statuses = Counter(str(outcome.status) if outcome.code is None else f"{outcome.status} {outcome.code}"
                       for outcome in outcomes)
    busy = sum(1 for outcome in outcomes if outcome.status == 503 and outcome.code == "server_busy")
    return {
        "requests": len(outcomes), "ok": len(done), "busy": busy,
        "failed": len(outcomes) - len(done) - busy,
        "wall_s": round(wall, 3),
        "requests_per_s": round(len(done) / wall, 2) if wall else 0.0,
        "p50_s": round(percentile(done, 0.50), 3) if done else None,
        "p95_s": round(percentile(done, 0.95), 3) if done else None,
        "max_s": round(max(done), 3) if done else None,
        "mean_s": round(statistics.fmean(done), 3) if done else None,
        "statuses": dict(sorted(statuses.items())),
    }


def print_report(numbers: dict) -> None:
    print(f"{numbers['clients']} clients, {numbers['requests']} uploads of a {numbers['pages']}-page "
          f"{numbers['format'].upper()} ({numbers['plan_bytes'] / 1024:.0f} KiB) to {numbers['url']}")
    print(f"server: {numbers['server_cpus']} CPUs, audit workers {numbers['workers'] or 'unknown'}, "
          f"planaudit {numbers['version'] or '?'}")
    print(f"{'ok':>5} {'busy':>5} {'failed':>6} {'wall s':>8} {'req/s':>7} {'p50 s':>7} {'p95 s':>7} {'max s':>7}")
    def num(key: str) -> str:
        return "-" if numbers[key] is None else f"{numbers[key]:.2f}"
    print(f"{numbers['ok']:>5} {numbers['busy']:>5} {numbers['failed']:>6} {numbers['wall_s']:8.2f} "
          f"{numbers['requests_per_s']:7.2f} {num('p50_s'):>7} {num('p95_s'):>7} {num('max_s'):>7}")
    print("status codes: " + ", ".join(f"{status} ×{count}" for status, count in numbers["statuses"].items()))
    if numbers["server_cpu_s"] is not None:
        print(f"server CPU: {numbers['server_cpu_s']:.1f} s over {numbers['wall_s']:.1f} s wall "
              f"= {numbers['server_cpu_util']:.0%} of {numbers['server_cpus']} cores")


def measure(server: Server, args: argparse.Namespace, plan: bytes, health: dict) -> dict:
    requests = args.requests or (MAX_REQUESTS if args.duration else 200)
    duration = args.duration or MAX_DURATION
    name = f"{args.plan}_{args.pages}s.{args.format}"
    pid = server.process.pid if server.process else None
    cpu_before = process_tree_cpu(pid) if pid else None
    outcomes, wall = asyncio.run(run_load(server.url, plan, name, MEDIA_TYPES[args.format], args.clients,
                                          requests, duration, args.timeout))
    cpu_after = process_tree_cpu(pid) if pid else None
    numbers = summarise(outcomes, wall)
    cpus = usable_cores()
    cpu = None if cpu_before is None or cpu_after is None else round(cpu_after - cpu_before, 2)
    workers = health.get("workers") or server.workers
    if workers is None and server.process is not None:
        workers = usable_cores()  # planaudit serve's default: one audit process per core
    numbers.update(url=server.url, clients=args.clients, pages=args.pages, format=args.format,
                   plan_bytes=len(plan), version=health.get("version"), server_cpus=cpus, workers=workers,
                   server_cpu_s=cpu, server_cpu_util=round(cpu / (wall * cpus), 3) if cpu is not None and wall else None)
    return numbers


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    plan = make_plan(args.plan, args.pages, args.format)
    folder = Path(tempfile.mkdtemp(prefix="planaudit-serve-bench-"))
    try:
        if args.url:
            server = Server(args.url, None, None)
            health = wait_until_healthy(server, None)
            numbers = measure(server, args, plan, health)
        else:
            with started_server(folder, args.workers) as server:
                health = wait_until_healthy(server, None)
                numbers = measure(server, args, plan, health)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print_report(numbers)
    if args.json:
        print(json.dumps(numbers, ensure_ascii=False, sort_keys=True))
    if numbers["failed"]:
        print(f"{numbers['failed']} uploads failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
