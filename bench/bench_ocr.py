#!/usr/bin/env python3
"""Benchmark: OCR of scanned plans (``planaudit check --ocr``): character accuracy of the
OCR text against the text layer it was scanned from, seconds per page, and whether the
criterion levels stay those of the text version; then the budget, a 40-page scanned plan
audited on every core in under two minutes.

The scans are made by ``fixtures/scanned.py`` from the committed fixture PDFs (variants:
clean, skewed through JPEG, and speckled), rendered for Tesseract at each ``--dpi``.
Accuracy is 1 - (edit distance / length) over the whole document text, whitespace folded.

    python bench/bench_ocr.py [--dpi 200,300] [--budget-pages 40] [--jobs 2]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from planaudit.engine import audit, read_plan
from planaudit.ingest import ReadOptions, _data

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "fixtures"))
from scanned import SPECKLED, VARIANTS, Scan, scan_pdf  # noqa: E402

PLANS = ("plan_nb", "plan_nn", "plan_svak_nb")


def _text(path: Path, options: ReadOptions = ReadOptions()) -> str:
    return " ".join(read_plan(path, options=options)[0].text.split())


def _set_dpi(dpi: int) -> None:
    data = _data.reader_data("ocr")
    data["render_dpi"] = dpi  # the cached data file: this process only


def measure(folder: Path, dpi: int, jobs: int) -> list[tuple[str, ...]]:
    _set_dpi(dpi)
    rows = []
    variants = {"clean": VARIANTS["clean"], "skewed": VARIANTS["skewed"], "speckled": SPECKLED}
    for plan in PLANS:
        source = ROOT / "fixtures" / "plans" / "formats" / f"{plan}.pdf"
        truth = _text(source)
        levels = {key: score.level for key, score in audit(source).criteria.items()}
        for name, scan in variants.items():
            scanned = folder / f"{plan}_{name}.pdf"
            if not scanned.exists():
                scanned.write_bytes(scan_pdf(source.read_bytes(), scan))
            started = time.perf_counter()
            report = audit(scanned, ocr=True, ocr_jobs=jobs)
            seconds = time.perf_counter() - started
            read = _text(scanned, ReadOptions(ocr=True, jobs=jobs))
            accuracy = 1 - Levenshtein.distance(truth, read) / max(1, len(truth))
            changed = [key for key, score in report.criteria.items() if score.level != levels[key]]
            pages = report.document.pages or 1
            rows.append((str(dpi), plan, name, f"{accuracy:.3f}", f"{seconds / pages:.2f}",
                         ", ".join(changed) or "same"))
    return rows


def budget(folder: Path, pages: int, jobs: int) -> tuple[float, int]:
    subprocess.run([sys.executable, str(ROOT / "fixtures" / "generate.py"), "--out", str(folder), "--pages",
                    str(pages), "--lang", "nb", "--only", "pdf"], check=True, capture_output=True)
    generated = folder / "plan_nb.pdf"
    scanned = folder / f"skannet_{pages}.pdf"
    scanned.write_bytes(scan_pdf(generated.read_bytes(), Scan(rotate=0.5, jpeg=75)))
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "planaudit", "check", str(scanned), "--ocr", "-j", str(jobs), "-f", "json",
                    "-o", os.devnull], check=False)
    return time.perf_counter() - started, pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dpi", default="200,300", help="resolutions to render the scans at for Tesseract")
    parser.add_argument("--budget-pages", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        print("render dpi (the scans are 300 dpi pictures)")
        print("dpi  plan          scan      accuracy  s/page  levels vs text")
        for dpi in (int(value) for value in args.dpi.split(",")):
            for row in measure(folder, dpi, args.jobs):
                print(f"{row[0]:<4} {row[1]:<13} {row[2]:<9} {row[3]:<9} {row[4]:<7} {row[5]}")
        if args.budget_pages:
            budget_folder = folder / "budget"
            budget_folder.mkdir()
            seconds, pages = budget(budget_folder, args.budget_pages, args.jobs)
            print(f"\n{pages}-page scanned plan, check --ocr -j {args.jobs}: {seconds:.1f} s "
                  f"({seconds / pages:.2f} s/page; budget 120 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
