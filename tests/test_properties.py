"""Properties: whatever a user feeds in, the readers end in a Document, a Plan or one
InputError (never a traceback), and the extractor accepts every Document a reader makes."""
from __future__ import annotations

import json
from pathlib import Path

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from planaudit.errors import InputError
from planaudit.extract import extract_plan
from planaudit.ingest import DocxReader, HtmlReader, MarkdownReader, OdtReader, PdfReader, Source, StructuredReader
from planaudit.model import Document, Plan

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

MARKDOWN_NAMES = st.sampled_from(["plan.md", "plan.txt", "plan.markdown", "plan"])
STRUCTURED_NAMES = st.sampled_from(["plan.yaml", "plan.yml", "plan.json", "plan"])

# Pieces of the syntax the Markdown reader and its layout rules react to.
MARKDOWN_PIECES = st.sampled_from([
    "#", "# ", "## ", "### ", "|", " | ", "|---|---|", "| Tiltak | Ansvarlig |\n|---|---|\n",
    "- ", "* ", "• ", "▪ ", "– ", "1. ", "4. Tiltak", "3.2 Mål", "3.2.1 Delmål", "1.0 Innledning",
    "<!-- side 3 -->", "<!-- page 1 -->", "<!-- seksjon 12 -->", "<!-- side 0 -->", "<!--", "-->",
    "\f", "\n", "\n\n", "\r\n", "\r", "\t", "    ", " ", "0", "7", "12", "2025", "......... 4",
    "bolig-\nsosial", "plan-\nog", "-\n", "```", "> ", "**", "_", "[lenke](x)", "<div>", "</div>",
    "Fjellvik kommune – side 2", "Ansvarlig: NAV", "Frist: 2. kvartal 2025", "kr 2,5 mill.",
    "innen 2027", "Mål 1:", "Tiltak 1.1", "æøå ÆØÅ", "\u00a0", "\u2028", "\x85", "\ufeff",
])
MARKDOWN_TEXT = st.lists(st.one_of(MARKDOWN_PIECES, st.text(max_size=8)), max_size=60).map("".join)


def _read_markdown(name: str, data: bytes) -> Document | None:
    try:
        document = MarkdownReader().read(Source(name, data))
    except InputError as err:
        assert err.message().startswith(name)
        return None
    assert isinstance(document, Document)
    lines = data.count(b"\n") + data.count(b"\r") + 1
    for index, block in enumerate(document.blocks):
        assert block.location.block == index
        assert block.location.line is None or 1 <= block.location.line <= lines
        assert block.text.strip() or block.rows
    return document


def _read_structured(name: str, data: bytes) -> Plan | None:
    try:
        plan = StructuredReader().read(Source(name, data))
    except InputError as err:
        assert err.message().startswith(name)
        return None
    assert isinstance(plan, Plan)
    return plan


# --- Markdown reader --------------------------------------------------------------------------


@SETTINGS
@given(text=st.text(), name=MARKDOWN_NAMES)
def test_markdown_reader_on_any_text_raises_only_input_error(text: str, name: str) -> None:
    _read_markdown(name, text.encode("utf-8"))


@SETTINGS
@given(data=st.binary(), name=MARKDOWN_NAMES)
def test_markdown_reader_on_any_bytes_raises_only_input_error(data: bytes, name: str) -> None:
    _read_markdown(name, data)


@SETTINGS
@given(text=MARKDOWN_TEXT, name=MARKDOWN_NAMES, encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_markdown_reader_on_markdown_like_text_raises_only_input_error(
    text: str, name: str, encoding: str
) -> None:
    _read_markdown(name, text.encode(encoding, errors="replace"))


# --- structured reader ------------------------------------------------------------------------

YAML_PIECES = st.sampled_from([
    "metadata:", "goals:", "measures:", "title:", "text:", "location:", "page:", "section:",
    "period:", "status:", "kind:", "\n", "  ", "    ", "- ", ": ", "{", "}", "[", "]", ",", "'", '"',
    "3", "-1", "2025", "2025-06-12", "1e999", ".nan", "0x1F", "null", "~", "true", "vedtatt",
    "hovedmål", "&a ", "*a", "<<: *a", "!!binary", "!!set", "!!python/object:os.system", "? ",
    "---\n", "...\n", "%YAML 1.1\n", "#", "\t", "æøå", "\ufeff",
])
YAML_TEXT = st.lists(st.one_of(YAML_PIECES, st.text(max_size=6)), max_size=50).map("".join)

JSON_KEYS = st.sampled_from([
    "metadata", "goals", "measures", "text", "location", "page", "line", "section", "kind",
    "period", "title", "status", "adoption", "responsible", "target",
]) | st.text(max_size=4)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(JSON_KEYS, children, max_size=5),
    max_leaves=25,
)


@SETTINGS
@given(text=st.text(), name=STRUCTURED_NAMES)
def test_structured_reader_on_any_text_raises_only_input_error(text: str, name: str) -> None:
    _read_structured(name, text.encode("utf-8"))


@SETTINGS
@given(data=st.binary(), name=STRUCTURED_NAMES)
def test_structured_reader_on_any_bytes_raises_only_input_error(data: bytes, name: str) -> None:
    _read_structured(name, data)


@SETTINGS
@given(text=YAML_TEXT, name=STRUCTURED_NAMES)
def test_structured_reader_on_yaml_like_text_raises_only_input_error(text: str, name: str) -> None:
    _read_structured(name, text.encode("utf-8"))


@SETTINGS
@given(value=JSON_VALUES, name=STRUCTURED_NAMES)
def test_structured_reader_on_any_json_value_raises_only_input_error(value: object, name: str) -> None:
    _read_structured(name, json.dumps(value, ensure_ascii=False).encode("utf-8"))


LOCATIONS = st.fixed_dictionaries({}, optional={
    "page": st.none() | st.integers(min_value=1, max_value=10_000),
    "line": st.none() | st.integers(min_value=1, max_value=10**6),
    "section": st.lists(st.text(max_size=30), max_size=3),
})
ITEMS = st.fixed_dictionaries({"text": st.text(max_size=80)}, optional={"location": LOCATIONS})
GOALS = st.tuples(ITEMS, st.fixed_dictionaries({}, optional={
    "id": st.none() | st.text(max_size=5),
    "kind": st.sampled_from(["hovedmål", "delmål", "resultatmål", "effektmål", "mål"]),
    "target": st.none() | st.text(max_size=20),
    "horizon": st.none() | st.text(max_size=20),
})).map(lambda pair: {**pair[0], **pair[1]})
MEASURES = st.tuples(ITEMS, st.fixed_dictionaries({}, optional={
    "goal": st.none() | st.text(max_size=5),
    "responsible": st.none() | st.text(max_size=20),
    "deadline": st.none() | st.text(max_size=20),
    "cost": st.none() | st.text(max_size=20),
    "deadline_vague": st.booleans(),
})).map(lambda pair: {**pair[0], **pair[1]})
PLANS = st.fixed_dictionaries({}, optional={
    "metadata": st.fixed_dictionaries({}, optional={
        "title": st.none() | st.text(max_size=40),
        "municipality": st.none() | st.text(max_size=20),
        "period": st.none() | st.tuples(st.integers(1900, 2100), st.integers(1900, 2100)).map(list),
        "status": st.none() | st.sampled_from(["utkast", "høring", "vedtatt"]),
    }),
    "goals": st.lists(GOALS, max_size=4),
    "measures": st.lists(MEASURES, max_size=4),
})


@SETTINGS
@given(data=PLANS, form=st.sampled_from(["json", "yaml"]))
def test_valid_structured_plans_load_and_round_trip(data: dict, form: str) -> None:
    """Every plan the schema allows loads, in JSON and in YAML, and reads back the same."""
    if form == "json":
        raw = json.dumps(data, ensure_ascii=False).encode("utf-8")
    else:
        text = yaml.safe_dump(data, allow_unicode=True)
        # PyYAML's own emitter writes U+0085 (NEL) raw and its loader folds it to a space:
        # a PyYAML round-trip limit, not the reader's.
        assume("\x85" not in text)
        raw = text.encode("utf-8")
    plan = StructuredReader().read(Source(f"plan.{form}", raw))
    assert plan == Plan.model_validate(data)
    again = StructuredReader().read(Source("plan.json", plan.model_dump_json().encode("utf-8")))
    assert again == plan


# --- extractor --------------------------------------------------------------------------------


@SETTINGS
@given(text=st.one_of(MARKDOWN_TEXT, st.text()), name=MARKDOWN_NAMES)
def test_extract_plan_accepts_every_document_the_markdown_reader_returns(text: str, name: str) -> None:
    document = _read_markdown(name, text.encode("utf-8"))
    if document is not None:
        plan = extract_plan(document)
        assert isinstance(plan, Plan)


# --- Office, PDF and web readers ---------------------------------------------------------------

FORMAT_FILES = Path(__file__).resolve().parent.parent / "fixtures" / "plans" / "formats"
BINARY_READERS = [PdfReader(), DocxReader(), OdtReader(), HtmlReader()]
MAGIC = st.sampled_from([b"", b"%PDF-1.7\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
                         b"<!DOCTYPE html>", b"<html><body>", b"\xef\xbb\xbf<html>"])
NAMES = st.sampled_from(["plan.pdf", "plan.docx", "plan.odt", "plan.html", "plan.htm", "plan"])


def _read_any(reader: object, name: str, data: bytes) -> Document | None:
    """What every reader promises: a sniff that never raises, and a Document or one InputError."""
    source = Source(name, data)
    assert reader.sniff(source) in (0, 1, 2)  # type: ignore[attr-defined]
    try:
        document = reader.read(source)  # type: ignore[attr-defined]
    except InputError as err:
        message = err.message()
        assert message.startswith(name) and "\n" not in message
        return None
    assert isinstance(document, Document)
    for index, block in enumerate(document.blocks):
        assert block.location.block == index
        assert block.text.strip() or block.rows
        assert block.location.page is None or 1 <= block.location.page <= (document.pages or 0)
    return document


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(magic=MAGIC, tail=st.binary(max_size=3000), name=NAMES)
def test_every_binary_reader_on_any_bytes_raises_only_input_error(magic: bytes, tail: bytes, name: str) -> None:
    for reader in BINARY_READERS:
        _read_any(reader, name, magic + tail)


def _damaged(original: bytes, data: st.DataObject) -> bytes:
    """A real file with a few bytes overwritten, a piece cut out, or its end cut off."""
    damaged = bytearray(original)
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(damaged) - 1))
        damaged[position] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        start = data.draw(st.integers(0, len(damaged) - 1))
        del damaged[start:start + data.draw(st.integers(1, 2000))]
    if data.draw(st.booleans()):
        damaged = damaged[:data.draw(st.integers(1, len(damaged)))]
    return bytes(damaged)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fmt=st.sampled_from(["pdf", "docx", "odt", "html"]), data=st.data())
def test_damaged_real_files_raise_only_input_error(fmt: str, data: st.DataObject) -> None:
    original = (FORMAT_FILES / f"plan_nb.{fmt}").read_bytes()
    damaged = _damaged(original, data)
    reader = next(reader for reader in BINARY_READERS if reader.name == fmt)
    document = _read_any(reader, f"plan.{fmt}", damaged)
    if document is not None:
        extract_plan(document)


@given(st.lists(st.text(max_size=200), max_size=20))
def test_running_header_is_one_of_the_lines_or_none(lines):
    """Whatever runs along the page edges, the header found is (part of) one of those lines."""
    from planaudit.ingest._layout import running_header

    header = running_header(lines)
    assert header is None or any(header in line for line in lines)
