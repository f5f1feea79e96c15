#!/usr/bin/env python3
"""Benchmark: a batch of generated plans through ``planaudit check DIR --jobs J``.

Issue 7 asks how fast a county's worth of plans goes through on two cores. This script
writes N plans (default 200) made from the fixture sources (fixtures/source/plan_*.yaml)
with different municipalities, some pages and table rows left out (so scores differ), in a
mix of formats (mostly Markdown, every fifth Word, every seventh PDF); then it runs the
real command line, as a user would, for each ``--jobs`` value and prints wall time, plans
per second and CPU utilisation: user + system CPU of the command and its worker processes
divided by wall time × jobs (1.0 = every process busy all the time).

    python bench/bench_batch.py [--plans 200] [--jobs 1,2] [--keep DIR]
"""
from __future__ import annotations

import argparse
import dataclasses
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "fixtures"))

import generate  # noqa: E402  (fixtures/generate.py, not an installed module)

TOWNS = ("Aurvik", "Bjørkdal", "Dalstrand", "Elvheim", "Fjordnes", "Granvoll", "Havlia", "Isfjell", "Juvbygd",
         "Kvitsand", "Lyngmo", "Myrvang", "Nordstø", "Oterøy", "Prestvik", "Rypeli", "Sandmo", "Tjernås")


def varied(base: generate.Plan, number: int) -> generate.Plan:
    """The base plan for another municipality, with some pages and table rows left out."""
    rng = random.Random(number)
    town = f"{TOWNS[number % len(TOWNS)]}{'' if number < len(TOWNS) else number // len(TOWNS)}"

    def swap(text: str) -> str:
        return text.replace(base.municipality, town)

    def block(item: generate.Block) -> generate.Block:
        if isinstance(item, generate.Table):
            rows = [item.rows[0], *(row for row in item.rows[1:] if rng.random() > 0.3)] or list(item.rows[:2])
            return generate.Table(tuple(tuple(swap(cell) for cell in row) for row in rows))
        if isinstance(item, generate.Bullets):
            return generate.Bullets(tuple(swap(text) for text in item.items))
        if isinstance(item, generate.Heading):
            return generate.Heading(swap(item.text), item.level)
        return generate.Paragraph(swap(item.text))

    pages = [base.pages[0], *(page for page in base.pages[1:] if rng.random() > 0.25)]
    return dataclasses.replace(base, name=f"plan_{number:03d}", municipality=town, title=swap(base.title),
                               pages=tuple(tuple(block(item) for item in page) for page in pages))


def write_plans(count: int, out: Path) -> dict[str, int]:
    bases = [generate.load_plan(path) for path in sorted(generate.SOURCE_DIR.glob("plan_*.yaml"))]
    formats: dict[str, int] = {}
    for number in range(count):
        fmt = "pdf" if number % 7 == 3 else "docx" if number % 5 == 1 else "md"
        plan = varied(bases[number % len(bases)], number)
        (out / f"{plan.name}.{fmt}").write_bytes(generate.render(plan, fmt))
        formats[fmt] = formats.get(fmt, 0) + 1
    return formats


def run(folder: Path, jobs: int, summary: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (command and workers) and exit code of one batch."""
    command = [sys.executable, "-m", "planaudit", "check", str(folder), "--jobs", str(jobs),
               "--summary", str(summary), "--format", "json", "--output", "/dev/null"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        print(done.stderr, file=sys.stderr)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--jobs", default="1,2", help="comma-separated --jobs values to run")
    parser.add_argument("--keep", type=Path, help="write the plans here and keep them")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="planaudit-batch-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        formats = write_plans(args.plans, folder)
        print(f"{args.plans} plans in {folder} ({', '.join(f'{n} {fmt}' for fmt, n in sorted(formats.items()))})")
        print(f"{'jobs':>4} {'wall s':>8} {'plans/s':>8} {'CPU s':>8} {'CPU util':>8}  exit")
        for jobs in (int(value) for value in args.jobs.split(",")):
            wall, cpu, code = run(folder, jobs, folder.parent / f"{folder.name}-summary-{jobs}.csv")
            print(f"{jobs:>4} {wall:8.2f} {args.plans / wall:8.1f} {cpu:8.2f} {cpu / (wall * jobs):8.0%}  {code}")
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
        for summary in folder.parent.glob(f"{folder.name}-summary-*.csv"):
            summary.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
