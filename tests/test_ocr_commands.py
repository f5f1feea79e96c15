"""``--ocr`` beyond ``check``: ``planaudit extract FILE --ocr`` shows what OCR read from a
scanned plan, and ``planaudit serve --ocr`` (or ``ocr = true`` in the configuration) reads
scanned uploads, with a time limit long enough for OCR when none is given.

The scanned PDFs are made from the committed fixtures by fixtures/scanned.py. Tests that
run Tesseract skip when it (or its Norwegian model) is not installed, and fail instead when
``PLANAUDIT_REQUIRE_OCR=1``.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from planaudit.cli import cli
from planaudit.engine import audit
from planaudit.ingest import ocr_status

from _cli import one_line_error

from _ocr import PLANS, require_ocr, status_looked_up_again  # noqa: F401 - an autouse fixture
from scanned import Scan, scan_pdf







@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The weak plan's first three pages as a clean scan: its title page and two of text."""
    import io

    import pypdfium2

    source = pypdfium2.PdfDocument(PLANS / "plan_svak_nb.pdf")
    short = pypdfium2.PdfDocument.new()
    short.import_pages(source, [0, 1, 2])
    buffer = io.BytesIO()
    short.save(buffer)
    path = tmp_path_factory.mktemp("skannet") / "plan_svak_skannet.pdf"
    path.write_bytes(scan_pdf(buffer.getvalue(), Scan()))
    return path


@pytest.fixture()
def no_tesseract() -> Iterator[dict[str, str]]:
    """An environment without Tesseract on PATH; the cached status is looked up again."""
    ocr_status.cache_clear()
    yield {"PATH": "/nonexistent"}
    ocr_status.cache_clear()


# --- extract --ocr ----------------------------------------------------------------------------


def test_extract_of_a_scan_without_ocr_is_one_line_naming_the_option(scanned: Path) -> None:
    line = one_line_error(CliRunner().invoke(cli, ["extract", str(scanned)]))
    assert line.startswith(f"planaudit: {scanned}: ") and "--ocr" in line


def test_extract_ocr_without_tesseract_is_checks_one_line(scanned: Path, no_tesseract: dict[str, str]) -> None:
    lines = [one_line_error(CliRunner().invoke(cli, [command, str(scanned), "--ocr"], env=no_tesseract))
             for command in ("extract", "check")]
    assert lines[0] == lines[1]
    assert lines[0].startswith("planaudit: --ocr: ") and "tesseract-ocr-nor" in lines[0]


def test_extract_ocr_without_tesseract_in_english(scanned: Path, no_tesseract: dict[str, str]) -> None:
    line = one_line_error(CliRunner().invoke(cli, ["extract", str(scanned), "--ocr", "--lang", "en"],
                                             env=no_tesseract))
    assert line.startswith("planaudit: --ocr: OCR needs Tesseract")


def test_extract_ocr_shows_the_plan_ocr_read(scanned: Path) -> None:
    require_ocr()
    result = CliRunner().invoke(cli, ["extract", str(scanned), "--ocr"])
    assert result.exit_code == 0, result.output
    header, _, body = result.stdout.partition("\n")
    assert header.startswith(f"# Plan lest fra {scanned}")
    plan = yaml.safe_load(body)
    text_plan = yaml.safe_load(CliRunner().invoke(cli, ["extract", str(PLANS / "plan_svak_nb.pdf")])
                               .stdout.partition("\n")[2])
    assert plan["metadata"]["municipality"] == text_plan["metadata"]["municipality"]
    # Tesseract reads the title's en dash (2026–2030) as an em dash
    assert plan["metadata"]["title"].replace("—", "–") == text_plan["metadata"]["title"]


def test_extract_ocr_sections_name_the_scanned_pages(scanned: Path) -> None:
    require_ocr()
    result = CliRunner().invoke(cli, ["extract", str(scanned), "--ocr", "--sections", "--lang", "en"])
    assert result.exit_code == 0, result.output
    rows = result.stdout.splitlines()[2:]
    assert rows and {row.split()[0] for row in rows if row.split()[0].isdigit()} <= {"1", "2", "3"}


def test_extract_of_a_text_pdf_with_ocr_is_the_same_as_without() -> None:
    require_ocr()
    path = PLANS / "plan_svak_nb.pdf"
    outputs = [CliRunner().invoke(cli, ["extract", str(path), *extra]).stdout for extra in ((), ("--ocr",))]
    assert outputs[0] == outputs[1] and outputs[0]


# --- serve --ocr: the command line ----------------------------------------------------------------


@pytest.fixture()
def captured(monkeypatch: pytest.MonkeyPatch, isolated_cwd: Path) -> list[object]:
    """The settings ``planaudit serve`` would start the app with; no server is started."""
    import planaudit.web

    seen: list[object] = []

    def capture(settings: object, **_: object) -> None:
        seen.append(settings)
        raise SystemExit(0)

    monkeypatch.setattr(planaudit.web, "create_app", capture)
    monkeypatch.setenv("PLANAUDIT_DATABASE_URL", f"sqlite:///{isolated_cwd / 'historikk.sqlite3'}")
    return seen


def _serve(*extra: str) -> list[str]:
    return ["serve", "--port", "0", *extra]


def test_serve_ocr_reaches_the_settings_with_the_longer_time_limit(captured: list[object]) -> None:
    from planaudit.web import ServeSettings
    from planaudit.web._settings import DEFAULT_TIMEOUT, OCR_TIMEOUT

    for extra, ocr, timeout in (((), False, None), (("--ocr",), True, None), (("--ocr", "--timeout", "90"), True, 90.0)):
        result = CliRunner().invoke(cli, _serve(*extra))
        assert result.exit_code == 0, result.output
        settings = captured.pop()
        assert isinstance(settings, ServeSettings)
        assert (settings.ocr, settings.timeout) == (ocr, timeout)
    assert ServeSettings().audit_timeout(ocr=False) == DEFAULT_TIMEOUT == 60
    assert ServeSettings().audit_timeout(ocr=True) == OCR_TIMEOUT == 300
    assert ServeSettings(timeout=90).audit_timeout(ocr=True) == 90


def test_serve_help_names_ocr_and_the_time_limits() -> None:
    result = CliRunner().invoke(cli, ["serve", "--help"], terminal_width=200)
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "--ocr" in text and "60 sekunder" in text and "300 sekunder" in text


def test_serve_ocr_without_tesseract_is_one_line(no_tesseract: dict[str, str], isolated_cwd: Path) -> None:
    environment = {**no_tesseract, "PLANAUDIT_DATABASE_URL": f"sqlite:///{isolated_cwd / 'historikk.sqlite3'}"}
    line = one_line_error(CliRunner().invoke(cli, _serve("--ocr"), env=environment))
    assert line.startswith("planaudit: --ocr: ") and "tesseract-ocr-nor" in line


# --- serve --ocr: the web service ---------------------------------------------------------------


def _levels(report: dict) -> dict[str, int]:
    return {key: value["level"] for key, value in report["criteria"].items()}


def test_without_ocr_a_scanned_upload_is_the_error_naming_ocr(scanned: Path, tmp_path: Path) -> None:
    from _web import error_of, running, sqlite_url

    from planaudit.web import ServeSettings

    with running(ServeSettings(workers=1, database_url=sqlite_url(tmp_path))) as (client, _):
        response = client.post("/api/v1/audits", files={"file": (scanned.name, scanned.read_bytes())})
        english = client.post("/api/v1/audits?lang=en", files={"file": (scanned.name, scanned.read_bytes())})
    assert response.status_code == 422
    code, message = error_of(response)
    assert code == "unreadable_document" and "--ocr" in message and "tekstlag" in message
    assert "--ocr" in error_of(english)[1] and "text layer" in error_of(english)[1]


@pytest.mark.parametrize("how", ["option", "config"])
def test_with_ocr_a_scanned_upload_is_audited(how: str, scanned: Path, tmp_path: Path) -> None:
    from _web import running, sqlite_url

    from planaudit.web import ServeSettings

    require_ocr()
    config = tmp_path / "planaudit.toml"
    config.write_text("ocr = true\n", encoding="utf-8")
    chosen = {"ocr": True} if how == "option" else {"config_path": config}
    settings = ServeSettings(workers=1, database_url=sqlite_url(tmp_path), **chosen)
    with running(settings) as (client, _):
        assert client.app.state.service.pool.timeout == 300  # OCR's default time limit
        response = client.post("/api/v1/audits", files={"file": (scanned.name, scanned.read_bytes())})
    assert response.status_code == 201, response.text
    body = response.json()
    expected = audit(scanned, ocr=True).model_dump(mode="json")
    assert _levels(body) == _levels(expected)
    assert any(note["code"] == "reading.ocr_pages" for note in body["notifications"])
    located = [finding["location"] for finding in body["findings"] if finding["location"]["page"]]
    assert located and all(location["ocr"] for location in located)
