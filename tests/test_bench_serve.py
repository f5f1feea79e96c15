"""bench/bench_serve.py, the load test of ``planaudit serve``: it refuses any server that is
not on this machine, keeps within its bounds, and still runs against the real server (a
tiny run; the numbers themselves are not checked here - benchmarks are not tests)."""
from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "bench" / "bench_serve.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_serve", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000", "http://127.3.4.5:9", "http://[::1]:8000/",
                                 "http://localhost:8000"])
def test_loopback_servers_are_accepted(bench: ModuleType, url: str) -> None:
    assert bench.loopback_url(url) == url.rstrip("/")


@pytest.mark.parametrize("url", ["http://10.0.0.1:8000", "http://192.168.1.20", "https://8.8.8.8",
                                 "http://[2001:db8::1]:8000", "ftp://127.0.0.1", "127.0.0.1:8000"])
def test_other_servers_are_refused(bench: ModuleType, url: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        bench.loopback_url(url)


@pytest.mark.parametrize("option", [["--clients", "1000"], ["--requests", "100000"], ["--duration", "86400"],
                                    ["--url", "http://10.1.2.3:8000"]])
def test_load_beyond_the_bounds_is_refused(option: list[str]) -> None:
    done = subprocess.run([sys.executable, str(SCRIPT), *option], capture_output=True, text=True, check=False)
    assert done.returncode == 2, done.stdout
    assert "error: argument" in done.stderr and "Traceback" not in done.stderr


def test_percentiles_are_nearest_rank(bench: ModuleType) -> None:
    values = [float(value) for value in range(1, 101)]
    assert bench.percentile(values, 0.50) == 50.0
    assert bench.percentile(values, 0.95) == 95.0
    assert bench.percentile(list(reversed(values)), 1.0) == 100.0
    assert bench.percentile([3.0], 0.95) == 3.0


def test_a_small_run_against_the_real_server_reports_every_upload() -> None:
    done = subprocess.run([sys.executable, str(SCRIPT), "--clients", "2", "--requests", "4", "--pages", "3",
                           "--workers", "1", "--json"], capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    numbers = json.loads(done.stdout.splitlines()[-1])
    assert numbers["requests"] == numbers["ok"] == 4
    assert numbers["statuses"] == {"201": 4}
    assert numbers["workers"] == 1 and numbers["clients"] == 2
    assert 0 < numbers["p50_s"] <= numbers["p95_s"] <= numbers["max_s"]
    assert "req/s" in done.stdout and "p95" in done.stdout
