#!/usr/bin/env python3
"""Benchmark: what the rule packs cost on top of the twelve built-in rules.

Audits the generated 100-page plan (see bench_audit.py) and every corpus plan twice, with
and without the pack criteria, and prints the CPU time of each and the difference.

    python bench/bench_packs.py [--pages 100] [--repeat 3]
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from bench_audit import CORPUS, long_plan

from planaudit import audit
from planaudit.engine import default_registry


def best_of(repeat: int, source: bytes | Path, ignore: list[str], name: str | None = None) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        audit(source, name=name, ignore=ignore)
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pack_criteria = sorted(default_registry().criteria)
    sources: list[tuple[str, bytes | Path, str | None]] = [(f"generated {args.pages} pages",
                                                           long_plan(args.pages), "bench.md")]
    if CORPUS.is_dir():
        sources += [(path.name[:50], path, None) for path in sorted(CORPUS.glob("*.md")) if path.name != "README.md"]
    audit(sources[0][1], name=sources[0][2])  # the lemmatiser loads once per process
    print(f"pack criteria: {', '.join(pack_criteria)}")
    print(f"{'plan':50} {'without':>9} {'with':>9} {'packs':>9}")
    for label, source, name in sources:
        without = best_of(args.repeat, source, pack_criteria, name)
        with_packs = best_of(args.repeat, source, [], name)
        print(f"{label:50} {without * 1000:7.0f}ms {with_packs * 1000:7.0f}ms {(with_packs - without) * 1000:7.0f}ms")


if __name__ == "__main__":
    main()
