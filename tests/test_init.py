"""``planaudit init``: the plan skeleton and the filled example, judged as a planner meets
them: the file the command writes, what Word shows, and what ``planaudit check`` makes of it.

The skeleton must not pass for a plan (its guidance is instructions, not plan text), and
the example must show what a plan that meets the rubric looks like.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import docx
import pytest
from _cli import one_line_error
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from planaudit.cli import cli
from planaudit.engine import audit
from planaudit.errors import UsageError
from planaudit.ingest import BUILTIN_READERS, choose_reader, load_source
from planaudit.model import CRITERIA, AuditReport, BlockKind
from planaudit.skeleton import PlanText, municipality_name, parse, parse_period, render
from planaudit.skeleton._template import fill, template

pytestmark = pytest.mark.usefixtures("isolated_cwd")

LANGS = ("nb", "nn")
FORMATS = ("md", "docx")
#: The chapters in the order the research recommends (seeds/004; criteria.md), one
#: pattern per chapter matching bokmål and nynorsk.
CHAPTERS = (r"innledning|innleiing", r"kunnskapsgrunnlag", r"medvirkning|medverknad", r"^\d+ mål$", r"strategi",
            r"tiltak", r"organisering og ansvar", r"økonomi", r"oppfølging og evaluering")
GUIDANCE_WORD = {"nb": "Veiledning", "nn": "Rettleiing"}


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, ["init", *(str(arg) for arg in args)])


def written(*args: str | Path) -> Path:
    """Run ``planaudit init`` and return the file its one line says it wrote."""
    result = run(*args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    path = Path(re.match(r"Skrev (.+?) \(", lines[0]).group(1))
    assert path.is_file()
    return path


def levels(report: AuditReport) -> list[int]:
    return [report.criteria[criterion].level for criterion in CRITERIA]


def headings(path: Path) -> list[tuple[int, str]]:
    source = load_source(path)
    document = choose_reader(BUILTIN_READERS, source).read(source)
    return [(block.level or 0, block.text) for block in document.blocks if block.kind is BlockKind.heading]


# --- what the command writes ------------------------------------------------------------------

def test_default_file_is_bokmal_markdown_with_next_step() -> None:
    result = run()
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == ("Skrev boligsosial-handlingsplan.md (mal, bokmål). "
                                     "Fyll ut og kjør: planaudit check boligsosial-handlingsplan.md")
    text = Path("boligsosial-handlingsplan.md").read_text(encoding="utf-8")
    assert text.startswith("# Boligsosial handlingsplan for [navn] kommune [ÅÅÅÅ–ÅÅÅÅ]\n")
    assert "{" not in text and "}" not in text


def test_nynorsk_default_name_and_format_from_option() -> None:
    path = written("--lang", "nn", "--format", "docx")
    assert path == Path("bustadsosial-handlingsplan.docx")
    assert docx.Document(str(path)).paragraphs[0].text.startswith("Bustadsosial handlingsplan")


def test_format_follows_extension_and_a_folder_gets_the_default_name(tmp_path: Path) -> None:
    assert written("plan.DOCX").read_bytes()[:2] == b"PK"
    folder = tmp_path / "planer"
    folder.mkdir()
    assert written(folder) == folder / "boligsosial-handlingsplan.md"


def test_extension_contradicting_format_is_one_line() -> None:
    line = one_line_error(run("plan.md", "--format", "docx"))
    assert "plan.md" in line and "--format docx" in line
    assert not Path("plan.md").exists()


def test_existing_file_is_left_untouched_without_force() -> None:
    Path("plan.md").write_text("Min egen plan\n", encoding="utf-8")
    line = one_line_error(run("plan.md"))
    assert "plan.md" in line and "--force" in line
    assert Path("plan.md").read_text(encoding="utf-8") == "Min egen plan\n"
    written("plan.md", "--force")
    assert Path("plan.md").read_text(encoding="utf-8").startswith("# Boligsosial handlingsplan")


@pytest.mark.parametrize("where", ["mangler/plan.md", "fil.txt/plan.md"])
def test_unwritable_path_is_one_line(where: str) -> None:
    Path("fil.txt").write_text("x", encoding="utf-8")
    line = one_line_error(run(where))
    assert line.startswith(f"planaudit: {where}: kan ikke skrive filen")


@pytest.mark.parametrize("period", ["2029-2026", "2026", "tjuesju", "2026-2099"])
def test_bad_period_is_one_line_naming_the_option(period: str) -> None:
    assert "--period" in one_line_error(run("--period", period))
    assert not Path("boligsosial-handlingsplan.md").exists()


def test_empty_municipality_is_one_line() -> None:
    assert "--municipality" in one_line_error(run("--municipality", "  "))


# --- the skeleton's structure ---------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_skeleton_has_the_chapters_in_the_research_order(lang: str, fmt: str) -> None:
    found = headings(written(f"plan.{fmt}", "--lang", lang))
    top = min(level for level, _ in found)
    chapters = [text.lower() for level, text in found if level == top + 1]
    assert len(chapters) == len(CHAPTERS), chapters
    for pattern, chapter in zip(CHAPTERS, chapters):
        assert re.search(pattern, chapter), (pattern, chapter)
    subsections = " ".join(text.lower() for level, text in found if level == top + 2)
    for topic in ("formål|føremål", "forankring", "plansystemet", "hovedmål|hovudmål", "delmål"):
        assert re.search(topic, subsections), topic


@pytest.mark.parametrize("lang", LANGS)
def test_word_file_uses_heading_styles_a_real_measure_table_and_italic_guidance(lang: str) -> None:
    word = docx.Document(str(written("plan.docx", "--lang", lang)))
    styles = {p.style.name for p in word.paragraphs if p.text.startswith(("1 ", "2 ", "1.1 "))}
    assert styles == {"Heading 2", "Heading 3"}
    assert word.paragraphs[0].style.name == "Heading 1"
    measure_tables = [table for table in word.tables if table.rows[0].cells[1].text == "Tiltak"]
    assert len(measure_tables) == 1
    header = [cell.text for cell in measure_tables[0].rows[0].cells]
    assert header == ["Nr", "Tiltak", "Mål", "Ansvarlig" if lang == "nb" else "Ansvarleg", "Tidsfrist",
                      "Kostnad/finansiering"]
    assert measure_tables[0].rows[0]._tr.trPr.xml.count("tblHeader") == 1
    guidance = [p for p in word.paragraphs if p.text.startswith(GUIDANCE_WORD[lang])]
    assert len(guidance) >= 9
    assert all(run.italic for p in guidance for run in p.runs)
    assert not any(run.italic for p in word.paragraphs if not p.text.startswith(GUIDANCE_WORD[lang])
                   for run in p.runs)
    assert word.core_properties.title == word.paragraphs[0].text


@pytest.mark.parametrize("kind", ["skeleton", "example"])
def test_bokmal_and_nynorsk_texts_have_the_same_shape(kind: str) -> None:
    """A chapter or table column added in one language only is a translation left undone."""
    shapes = {lang: [(b.kind, b.level, tuple(len(row) for row in b.rows)) for b in parse(template(kind, lang))]
              for lang in LANGS}
    assert shapes["nb"] == shapes["nn"]


# --- what planaudit makes of it -------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("options", [(), ("--municipality", "Fjellvik", "--period", "2026-2029")])
def test_unfilled_skeleton_audits_low(lang: str, fmt: str, options: tuple[str, ...]) -> None:
    """Guidance and headings are no plan: most criteria absent, none met, a low score."""
    report = audit(written(f"plan.{fmt}", "--lang", lang, *options))
    found = levels(report)
    assert found.count(0) > len(CRITERIA) / 2, dict(zip(CRITERIA, found))
    assert 2 not in found, dict(zip(CRITERIA, found))
    assert report.score < 25
    assert report.passed is False
    assert report.document.language == lang


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_filled_example_audits_high(lang: str, fmt: str) -> None:
    report = audit(written(f"eksempel.{fmt}", "--lang", lang, "--example"))
    found = levels(report)
    assert 0 not in found, dict(zip(CRITERIA, found))
    assert found.count(2) > len(CRITERIA) / 2, dict(zip(CRITERIA, found))
    assert report.score >= 80
    assert report.passed is True
    assert report.document.language == lang
    assert report.plan.municipality == "Lauvstad"
    assert report.plan.measures >= 8


@pytest.mark.parametrize("lang", LANGS)
def test_markdown_and_word_audit_alike(lang: str) -> None:
    for kind in ((), ("--example",)):
        md = audit(written(f"a{len(kind)}.md", "--lang", lang, *kind))
        word = audit(written(f"a{len(kind)}.docx", "--lang", lang, *kind))
        assert levels(md) == levels(word)
        assert md.plan.title == word.plan.title


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_municipality_and_period_are_in_the_title(lang: str, fmt: str) -> None:
    report = audit(written(f"plan.{fmt}", "--lang", lang, "--municipality", "Fjellvik kommune", "--period", "2027-2030"))
    assert report.plan.title.endswith("for Fjellvik kommune 2027–2030")
    assert report.plan.municipality == "Fjellvik"
    assert report.plan.period == (2027, 2030)


def test_example_dates_follow_the_period_and_municipality() -> None:
    path = written("eksempel.md", "--example", "--period", "2030-2033", "--municipality", "Fjellvik")
    text = path.read_text(encoding="utf-8")
    assert "innen 2033" in text and "vedtatt i kommunestyret 11.12.2029" in text
    assert "2029–" not in text.replace("11.12.2029", "") and "Lauvstad" not in text
    report = audit(path)
    assert report.plan.period == (2030, 2033) and report.plan.municipality == "Fjellvik"
    assert report.score >= 80


def test_same_options_write_the_same_file() -> None:
    first = hashlib.sha256(render(PlanText("example", "nn", "md", "Fjellvik kommune", parse_period("2026-2029"))))
    second = hashlib.sha256(render(PlanText("example", "nn", "md", "Fjellvik kommune", parse_period("2026-2029"))))
    assert first.digest() == second.digest()


# --- parsing the options and the template -------------------------------------------------------

@given(st.integers(1900, 2099), st.integers(0, 20), st.sampled_from(["-", "–", " - ", "/"]))
def test_period_round_trips(start: int, length: int, dash: str) -> None:
    end = start + length
    if end > 2099:
        return
    period = parse_period(f"{start}{dash}{end}")
    assert (period.start, period.end) == (start, end)
    assert period.label() == f"{start}–{end}"


@given(st.text(max_size=30))
def test_any_period_text_is_a_period_or_a_usage_error(text: str) -> None:
    try:
        period = parse_period(text)
    except UsageError as err:
        assert err.subject == "--period"
    else:
        assert period.start <= period.end


@given(st.text(min_size=1, max_size=40))
def test_any_municipality_name_is_filled_in_literally_or_refused(name: str) -> None:
    try:
        municipality = municipality_name(name)
    except UsageError as err:
        assert err.subject == "--municipality"
        return
    assert municipality.lower().endswith("kommune")
    for kind in ("skeleton", "example"):
        text = fill(template(kind, "nb"), kind, "nb", municipality, None)
        assert text.splitlines()[0].startswith(f"# Boligsosial handlingsplan for {municipality} ")


@given(st.lists(st.one_of(
    st.builds(lambda t: f"## {t}", st.from_regex(r"[A-Za-zæøå][a-zæøå ]{0,20}[a-zæøå]", fullmatch=True)),
    st.builds(lambda t: f"- {t}", st.from_regex(r"[A-Za-zæøå][a-zæøå ]{0,20}[a-zæøå]", fullmatch=True)),
    st.builds(lambda t: f"*{t}*", st.from_regex(r"[A-Za-zæøå][a-zæøå ]{0,20}[a-zæøå]", fullmatch=True)),
), max_size=8))
def test_parse_keeps_every_heading_item_and_guidance_in_order(lines: list[str]) -> None:
    blocks = parse("\n\n".join(lines))
    assert [(b.kind, b.text) for b in blocks] == [
        ("heading" if line.startswith("## ") else "item" if line.startswith("- ") else "guidance",
         line[3:] if line.startswith("## ") else line[2:] if line.startswith("- ") else line[1:-1])
        for line in lines]


def test_parse_reads_a_pipe_table_without_its_rule_line() -> None:
    blocks = parse("| Nr | Tiltak |\n|---|---|\n| 1.1 | Kjøpe boliger |\n\nEtter tabellen.")
    assert [b.kind for b in blocks] == ["table", "paragraph"]
    assert blocks[0].rows == (("Nr", "Tiltak"), ("1.1", "Kjøpe boliger"))
