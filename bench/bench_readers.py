#!/usr/bin/env python3
"""Benchmark: how long each reader takes on the same generated 100-page plan, beside
poppler's ``pdftotext`` on the PDF (the budget: reading a PDF costs at most 1.5× pdftotext),
plain and with ``-bbox-layout`` (text with positions, what the reader works from).

The plan comes from ``fixtures/generate.py --pages N`` (the fixture plan's body repeated),
so every format holds the same text. Times are the best of ``--repeat`` runs, in-process,
reading bytes already in memory; pdftotext is timed as the command a user would run.

    python bench/bench_readers.py [--pages 100] [--repeat 5] [--keep DIR]
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from planaudit.ingest import BUILTIN_READERS, choose_reader, load_source

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("pdf", "docx", "odt", "html", "md")


def generate(folder: Path, pages: int) -> list[Path]:
    subprocess.run([sys.executable, str(ROOT / "fixtures" / "generate.py"), "--out", str(folder),
                    "--pages", str(pages), "--lang", "nb", "--only", ",".join(FORMATS)],
                   check=True, stdout=subprocess.DEVNULL)
    return sorted(path for path in folder.iterdir() if path.suffix.lstrip(".") in FORMATS)


def best_of(repeat: int, action) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def time_reader(path: Path, repeat: int) -> tuple[str, float, int, int | None]:
    source = load_source(path)
    reader = choose_reader(BUILTIN_READERS, source)
    document = reader.read(source)
    return reader.name, best_of(repeat, lambda: reader.read(source)), len(document.blocks), document.pages


def time_pdftotext(path: Path, repeat: int, *options: str) -> float | None:
    if shutil.which("pdftotext") is None:
        return None
    return best_of(repeat, lambda: subprocess.run(["pdftotext", *options, str(path), "-"], check=True,
                                                  stdout=subprocess.DEVNULL))


def report_baselines(path: Path, seconds: float, pages: int | None, repeat: int) -> None:
    """pdftotext as a user runs it (text only), and with -bbox-layout, which gives the same
    information the PDF reader works from (text with positions)."""
    for options in ((), ("-bbox-layout",)):
        baseline = time_pdftotext(path, repeat, *options)
        if baseline is None:
            print("pdftotext not installed (Debian: poppler-utils): no ratio")
            return
        label = " ".join(("pdftotext", *options))
        print(f"{path.stem:14} {label:22} {baseline:8.3f}  reader/{label} = {seconds / baseline:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="write the generated plans here and keep them")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="planaudit-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        paths = generate(folder, args.pages)
        print(f"{'plan':14} {'reader':8} {'pages':>5} {'blocks':>6} {'seconds':>8}  ms/page")
        for path in paths:
            name, seconds, blocks, pages = time_reader(path, args.repeat)
            per_page = f"{1000 * seconds / pages:.2f}" if pages else "-"
            print(f"{path.stem:14} {name:8} {pages or '-':>5} {blocks:>6} {seconds:8.3f}  {per_page}")
            if path.suffix == ".pdf":
                report_baselines(path, seconds, pages, args.repeat)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
