#!/usr/bin/env python3
"""Benchmark: what understanding the text costs beside reading it.

For every plan in ../shared/corpus (if present) and for a generated 100-page plan in each
format, times three stages in-process, best of ``--repeat`` runs: reading the file into a
Document, extraction (Document → Plan) and the rules. It prints extraction + rules as a
ratio of reading time; the budget is 0.5×. The lemmatiser's one-time start-up (loading
simplemma's dictionaries) is timed apart: a batch pays it once per process.

    python bench/bench_extract.py [--pages 100] [--repeat 3]
"""
from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from bench_readers import FORMATS, generate

from planaudit.engine import RuleContext, default_registry, select_rules
from planaudit.engine._runner import run_rules
from planaudit.extract import extract_plan
from planaudit.extract._match import lemma_of
from planaudit.ingest import choose_reader, load_source

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
T = TypeVar("T")


def best_of(repeat: int, action: Callable[[], T]) -> tuple[float, T]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.process_time()
        result = action()
        best = min(best, time.process_time() - start)
    return best, result  # type: ignore[return-value]


def stages(path: Path, repeat: int) -> tuple[int | None, float, float, float]:
    registry = default_registry()
    rules = select_rules(registry)
    source = load_source(path)
    reader = choose_reader(registry.readers, source)
    reading, document = best_of(repeat, lambda: reader.read(source))
    extraction, plan = best_of(repeat, lambda: extract_plan(document))
    ruling, _ = best_of(repeat, lambda: run_rules(rules, RuleContext(document=document, plan=plan, lang="nb")))
    return document.pages, reading, extraction, ruling


def row(name: str, pages: int | None, reading: float, extraction: float, ruling: float) -> str:
    ratio = (extraction + ruling) / reading if reading else float("inf")
    return (f"{name[:44]:44} {pages or 0:4} {reading * 1000:8.1f} {extraction * 1000:8.1f} "
            f"{ruling * 1000:7.1f} {ratio:6.2f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    start = time.process_time()
    lemma_of("vedtok")
    print(f"lemmatiser start-up (once per process): {(time.process_time() - start) * 1000:.0f} ms CPU")
    print(f"{'plan':44} {'pages':>4} {'read ms':>8} {'extr ms':>8} {'rules':>7} {'ratio':>7}")
    totals = [0.0, 0.0, 0.0]
    if CORPUS.is_dir():
        for path in sorted(CORPUS.glob("*.md")):
            if path.name == "README.md":
                continue
            pages, *times = stages(path, args.repeat)
            totals = [total + value for total, value in zip(totals, times)]
            print(row(path.stem, pages, *times))
        print(row("corpus, all plans", None, *totals))
    with tempfile.TemporaryDirectory() as folder:
        for path in generate(Path(folder), args.pages):
            print(row(f"generated {args.pages} p. {path.name}", *stages(path, args.repeat)))
    print(f"budget: extraction + rules ≤ 0.5× reading; formats: {', '.join(FORMATS)}")


if __name__ == "__main__":
    main()
