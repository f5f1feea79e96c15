#!/usr/bin/env python3
"""Benchmark: CPU time and peak memory of auditing plans (DESIGN.md budgets).

Builds a 100-page Markdown plan from the project's own fixture (its pages repeated with
renumbered page markers), audits it, and audits every plan in ../shared/corpus if present.

    python bench/bench_audit.py [--pages 100] [--repeat 3]
"""
from __future__ import annotations

import argparse
import re
import resource
import time
from pathlib import Path

from planaudit import audit
from planaudit.engine import default_registry

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "fixtures" / "plans" / "god_plan.md"
CORPUS = ROOT.parent / "shared" / "corpus"


def long_plan(pages: int) -> bytes:
    chunks = re.split(r"<!-- side \d+ -->", FIXTURE.read_text(encoding="utf-8"))
    body = [chunk for chunk in chunks if chunk.strip()]
    out = [f"<!-- side {n + 1} -->\n{body[n % len(body)]}" for n in range(pages)]
    return "\n".join(out).encode("utf-8")


def timed(source: bytes | Path, repeat: int, name: str | None = None) -> tuple[float, int]:
    best = float("inf")
    pages = 0
    for _ in range(repeat):
        start = time.process_time()
        report = audit(source, name=name)
        best = min(best, time.process_time() - start)
        pages = report.document.pages or 0
    return best, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    default_registry()  # plugin loading is start-up, not audit time
    seconds, pages = timed(long_plan(args.pages), args.repeat, name="bench.md")
    print(f"generated plan: {pages} pages, {seconds * 1000:.0f} ms CPU ({seconds / max(pages, 1) * 1000:.1f} ms/page)")
    if CORPUS.is_dir():
        for path in sorted(CORPUS.glob("*.md")):
            if path.name == "README.md":
                continue
            seconds, pages = timed(path, args.repeat)
            print(f"{path.name[:60]:60} {pages:4} pages {seconds * 1000:7.0f} ms CPU")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS): {peak:.0f} MB")


if __name__ == "__main__":
    main()
