"""Hostile and broken input shared by every format: empty files, wrong extensions, unknown
bytes, size limits, and a long PDF read in bounded memory. Each bad file gives one line
naming the file and the cause, exit code 2, no traceback, and stays unchanged.

Format-specific attacks (zip bombs, XML entities, encrypted and scanned PDFs) are tested
beside their readers.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from planaudit.cli import cli

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fails_cleanly(path: Path, cause: str | tuple[str, ...], *args: str) -> None:
    before = _sha(path)
    result = CliRunner().invoke(cli, ["check", *args, str(path)])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    causes = (cause,) if isinstance(cause, str) else cause
    assert str(path) in lines[0] and any(text in lines[0] for text in causes), lines[0]
    assert "Traceback" not in result.output
    assert _sha(path) == before


@pytest.mark.parametrize("suffix", [".pdf", ".docx", ".odt", ".html", ".md", ".yaml"])
def test_an_empty_file_of_any_format_is_refused(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"plan{suffix}"
    path.write_bytes(b"")
    _fails_cleanly(path, "tom")


@pytest.mark.parametrize("suffix", [".pdf", ".docx", ".odt", ".html"])
def test_random_bytes_under_a_document_extension_are_refused(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"plan{suffix}"
    path.write_bytes(bytes(range(256)) * 40)
    _fails_cleanly(path, ("ukjent eller ustøttet filformat", "skadet"))


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_bytes((FIXTURES / "plans" / "god_plan.md").read_bytes())
    _fails_cleanly(path, "for stor", "--max-size", "2kB")


def test_the_size_limit_comes_from_the_configuration(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_bytes((FIXTURES / "plans" / "god_plan.md").read_bytes())
    config = tmp_path / "planaudit.toml"
    config.write_text("max_bytes = 1000\n", encoding="utf-8")
    _fails_cleanly(path, "for stor", "--config", str(config))


def test_a_size_that_is_no_size_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "--max-size", "mye", str(FIXTURES / "plans" / "god_plan.md")])
    assert result.exit_code == 2 and "--max-size" in result.output


def _hostile_module():
    """fixtures/hostile.py, the generator of the hostile set (a script, not a package)."""
    spec = importlib.util.spec_from_file_location("hostile", FIXTURES / "hostile.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HOSTILE = _hostile_module()


@pytest.fixture(scope="module")
def hostile_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("reportlab")
    out = tmp_path_factory.mktemp("hostile")
    for name, make in {**HOSTILE.HOSTILE, **HOSTILE.READABLE}.items():
        if name != "300_sider.pdf":  # made by the memory test below
            make(out / name)
    return out


@pytest.mark.parametrize("name", sorted(HOSTILE.HOSTILE))
def test_every_file_of_the_hostile_set_is_refused_in_one_line(hostile_set: Path, name: str) -> None:
    _fails_cleanly(hostile_set / name, ("",))


@pytest.mark.parametrize("name", ["xxe.html", "pdf_med_feil_endelse.docx"])
def test_files_that_only_look_hostile_are_read(hostile_set: Path, name: str) -> None:
    path = hostile_set / name
    before = _sha(path)
    result = CliRunner().invoke(cli, ["check", "--format", "json", str(path)])
    assert result.exit_code in (0, 1), result.output
    assert "root:" not in result.stdout and "haha" not in result.stdout
    assert _sha(path) == before


def test_a_300_page_pdf_is_read_in_bounded_memory(tmp_path: Path) -> None:
    pytest.importorskip("reportlab")
    path = tmp_path / "300_sider.pdf"
    HOSTILE.long_pdf(path, 300)
    before = _sha(path)
    script = ("import resource, subprocess, sys; "
              "r = subprocess.run([sys.executable, '-m', 'planaudit', 'check', '--format', 'json', sys.argv[1]],"
              " capture_output=True, text=True); "
              "sys.stdout.write(r.stdout); sys.stderr.write(r.stderr); "
              "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(r.returncode)")
    result = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=120)
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    assert report["document"]["pages"] == 300
    peak_kib = int(result.stderr.strip().splitlines()[-1])
    assert peak_kib < 400 * 1024, f"peak memory {peak_kib // 1024} MiB"
    assert _sha(path) == before


@pytest.mark.parametrize("size", ["0.5", "0", "0kB"])
def test_a_size_under_one_byte_is_refused(size: str) -> None:
    result = CliRunner().invoke(cli, ["check", "--max-size", size, str(FIXTURES / "plans" / "god_plan.md")])
    assert result.exit_code == 2 and "minst 1 byte" in result.output
