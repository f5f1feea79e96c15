"""Structured plans (YAML/JSON), the choice of reader, and the checks every input shares.

A municipality correcting an extracted plan by hand must be told the file, the line and
the JSON path of a mistake; bad input must end in one InputError, never a traceback, and
reading must never touch the file.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from planaudit.errors import InputError
from planaudit.ingest import (
    BUILTIN_READERS,
    MarkdownReader,
    Source,
    StructuredReader,
    choose_reader,
    load_source,
    plan_schema,
)
from planaudit.model import Document, Plan


def read_structured(path: str, text: str | bytes) -> Plan:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return StructuredReader().read(Source(path, data))


def input_error(path: str, text: str | bytes) -> InputError:
    with pytest.raises(InputError) as caught:
        read_structured(path, text)
    return caught.value


# --- valid plans ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["god_plan.yaml", "god_plan.json"])
def test_structured_fixture_loads_to_plan(plans_dir: Path, name: str) -> None:
    source = load_source(plans_dir / name)
    reader = choose_reader(BUILTIN_READERS, source)
    plan = reader.read(source)
    assert isinstance(plan, Plan)
    assert plan.metadata.municipality == "Fjellvik"
    assert plan.metadata.period == (2025, 2028)
    assert plan.metadata.status == "vedtatt"
    assert plan.metadata.adoption is not None
    assert plan.metadata.adoption.case == "45/25"
    assert [goal.id for goal in plan.goals if goal.kind == "hovedmål"] == ["1", "2", "3"]
    assert len(plan.measures) == 9
    assert all(m.responsible and m.deadline and m.cost for m in plan.measures)
    assert {m.goal for m in plan.measures} == {"1", "2", "3"}
    second = plan.measures[3]
    assert second.location.page == 6
    assert second.location.section[-1] == "4.2 Hovedmål 2: Ingen skal være bostedsløse"


def test_yaml_and_json_fixtures_hold_the_same_plan(plans_dir: Path) -> None:
    from_yaml = StructuredReader().read(load_source(plans_dir / "god_plan.yaml"))
    from_json = StructuredReader().read(load_source(plans_dir / "god_plan.json"))
    assert from_yaml == from_json


def test_every_fixture_item_has_text_and_location(plans_dir: Path) -> None:
    data = json.loads((plans_dir / "god_plan.json").read_text(encoding="utf-8"))
    Plan.model_validate(data)
    lists = [name for name, value in data.items() if isinstance(value, list)]
    assert len(lists) >= 8
    for name in lists:
        for index, item in enumerate(data[name]):
            where = f"{name}[{index}]"
            assert item.get("text"), where
            assert isinstance(item["location"]["page"], int), where
            assert item["location"]["section"], where


def test_minimal_plan_and_defaults() -> None:
    plan = read_structured("plan.yaml", "metadata:\n  title: Boligplan\ngoals:\n  - text: Ti boliger innen 2027\n")
    assert plan.metadata.title == "Boligplan"
    assert plan.goals[0].text == "Ti boliger innen 2027"
    assert plan.goals[0].kind == "mål"
    assert plan.measures == ()


def test_json_with_byte_order_mark_and_windows_line_endings() -> None:
    data = '\ufeff{\r\n  "goals": [{"text": "Færre bostedsløse"}]\r\n}\r\n'.encode("utf-8")
    plan = read_structured("plan.json", data)
    assert plan.goals[0].text == "Færre bostedsløse"


def test_json_strings_keep_every_character() -> None:
    """A .json file is JSON: U+0085 (which a mis-decoded Windows "…" turns into) is an
    ordinary character inside a JSON string and must come through unchanged."""
    text = "Bolig\u0085 for alle"
    data = json.dumps({"goals": [{"text": text}]}, ensure_ascii=False).encode("utf-8")
    assert read_structured("plan.json", data).goals[0].text == text


def test_plan_schema_is_the_plan_model_schema() -> None:
    schema = plan_schema()
    assert schema["type"] == "object"
    assert {"metadata", "goals", "measures"} <= set(schema["properties"])
    assert schema.get("additionalProperties") is False


# --- schema violations name file, line and JSON path -------------------------------------------


def test_schema_violation_fixture_names_file_line_and_path(broken_dir: Path) -> None:
    path = broken_dir / "schema_violation.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[6].startswith("  - id:")  # goals[1] opens on line 7
    with pytest.raises(InputError) as caught:
        StructuredReader().read(load_source(path))
    message = caught.value.message()
    assert message.startswith(f"{path}:7: $.goals[1]")
    assert "'text'" in message
    assert caught.value.message("en").startswith(f"{path}:7: $.goals[1]: violates the plan schema")
    assert "\n" not in message


def test_schema_violation_deep_in_yaml_names_its_own_line() -> None:
    text = (
        "metadata:\n"                              # 1
        "  title: Boligsosial handlingsplan\n"     # 2
        "measures:\n"                              # 3
        "  - text: Kjøpe 12 boliger\n"             # 4
        "    responsible: Eiendomsavdelingen\n"    # 5
        "  - text: Bo-oppfølgingsteam\n"           # 6
        "    location:\n"                          # 7
        "      page: side fem\n"                   # 8
    )
    message = input_error("god.yaml", text).message()
    assert message.startswith("god.yaml:8: $.measures[1].location.page")


def test_unknown_key_is_named() -> None:
    err = input_error("god.yaml", "metadata:\n  title: Plan\nmål:\n  - text: Ti boliger\n")
    assert err.message().startswith("god.yaml:1: $: ")
    assert "mål" in err.message()


def test_schema_violation_in_json_names_line_and_path() -> None:
    text = '{\n  "goals": [\n    {"text": "Ti boliger"},\n    {"id": "2"}\n  ]\n}\n'
    message = input_error("god.json", text).message()
    assert message.startswith("god.json:4: $.goals[1]")
    assert "'text'" in message


def test_wrong_literal_is_reported_with_path() -> None:
    err = input_error("god.yaml", "metadata:\n  status: kanskje\n")
    assert err.message().startswith("god.yaml:2: $.metadata.status")


# --- not a plan at all -------------------------------------------------------------------------


def test_invalid_yaml_fixture_names_the_line(broken_dir: Path) -> None:
    path = broken_dir / "invalid.yaml"
    with pytest.raises(InputError) as caught:
        StructuredReader().read(load_source(path))
    assert caught.value.message().startswith(f"{path}: linje 3: ugyldig YAML")
    assert caught.value.message("en").startswith(f"{path}: line 3: invalid YAML")


def test_invalid_json_names_the_line() -> None:
    err = input_error("plan.json", '{\n  "goals": [\n    {"text": "Ti boliger"},,\n  ]\n}\n')
    assert err.message("en").startswith("plan.json: line 3: invalid JSON")


def test_yaml_list_fixture_is_rejected(broken_dir: Path) -> None:
    path = broken_dir / "not_a_mapping.yaml"
    with pytest.raises(InputError) as caught:
        StructuredReader().read(load_source(path))
    assert caught.value.message("en") == f"{path}: a structured plan must be a mapping (keys and values)"


@pytest.mark.parametrize("text", ["Bare en setning\n", "42\n", "[]\n", "null\n", "---\n"])
def test_other_non_mappings_are_rejected(text: str) -> None:
    err = input_error("plan.yaml", text)
    assert err.message().startswith("plan.yaml: ")


def test_python_tags_are_not_executed() -> None:
    err = input_error("plan.yaml", "metadata: !!python/object/apply:os.system ['echo hei']\n")
    assert err.message().startswith("plan.yaml")


def test_deeply_nested_input_is_an_input_error() -> None:
    err = input_error("plan.json", "[" * 50_000 + "]" * 50_000)
    assert err.message().startswith("plan.json")


# --- choosing a reader ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "data", "expected"),
    [
        ("plan.yaml", b"metadata:\n  title: Plan\n", "yaml"),
        ("plan.yml", b"goals: []\n", "yaml"),
        ("plan.json", b'{"goals": []}', "yaml"),
        ("PLAN.JSON", b'{"goals": []}', "yaml"),
        ("plan.json", b'\n  {"goals": []}', "yaml"),
        ("eksport", b'{"metadata": {"title": "Plan"}}', "yaml"),
        ("eksport.dat", b'{"metadata": {"title": "Plan"}}', "yaml"),
        ("eksport", b"metadata:\n  title: Plan\n", "yaml"),
        ("plan.md", b"# Boligsosial handlingsplan\n\nTekst.\n", "markdown"),
        ("plan.md", b"metadata: dette er en markdown-fil\n", "markdown"),
        ("plan.markdown", b"Tekst.\n", "markdown"),
        ("plan.txt", b"Boligsosial handlingsplan\n\n3.2 M\xc3\xa5l\n", "markdown"),
        ("plan", b"Boligsosial handlingsplan for Fjellvik kommune\n", "markdown"),
    ],
)
def test_choose_reader(path: str, data: bytes, expected: str) -> None:
    assert choose_reader(BUILTIN_READERS, Source(path, data)).name == expected


@pytest.mark.parametrize("name", ["plan.md", "plan.yaml", "plan.json", "plan.pdf", "plan"])
def test_binary_content_has_no_reader(broken_dir: Path, name: str) -> None:
    data = (broken_dir / "binary.dat").read_bytes()
    assert b"\x00" in data
    with pytest.raises(InputError) as caught:
        choose_reader(BUILTIN_READERS, Source(name, data))
    assert caught.value.message("en") == f"{name}: unknown or unsupported file format"


def test_binary_fixture_path_is_named(broken_dir: Path) -> None:
    source = load_source(broken_dir / "binary.dat")
    with pytest.raises(InputError) as caught:
        choose_reader(BUILTIN_READERS, source)
    assert caught.value.message().startswith(str(broken_dir / "binary.dat") + ": ")


def test_chosen_reader_reads_markdown_fixture_to_document(plans_dir: Path) -> None:
    source = load_source(plans_dir / "nynorsk_plan.md")
    reader = choose_reader(BUILTIN_READERS, source)
    assert isinstance(reader, MarkdownReader)
    assert isinstance(reader.read(source), Document)


# --- load_source ------------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "finnes_ikke.md"
    with pytest.raises(InputError) as caught:
        load_source(path)
    assert caught.value.message("en") == f"{path}: file does not exist"
    assert caught.value.message() == f"{path}: filen finnes ikke"


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_source(tmp_path)
    assert caught.value.message("en") == f"{tmp_path}: is a directory, not a file"


def test_empty_fixture(broken_dir: Path) -> None:
    path = broken_dir / "empty.md"
    assert path.stat().st_size == 0
    with pytest.raises(InputError) as caught:
        load_source(path)
    assert caught.value.message("en") == f"{path}: file is empty (0 bytes)"


def test_file_over_max_bytes(tmp_path: Path) -> None:
    path = tmp_path / "stor.md"
    path.write_bytes(b"x" * 1001)
    with pytest.raises(InputError) as caught:
        load_source(path, max_bytes=1000)
    assert caught.value.message("en") == f"{path}: file is too large (1001 bytes, the limit is 1000)"
    assert load_source(path, max_bytes=1001).data == b"x" * 1001


def test_load_source_keeps_the_exact_bytes(plans_dir: Path) -> None:
    path = plans_dir / "god_plan.md"
    source = load_source(path)
    assert source.path == str(path)
    assert source.data == path.read_bytes()
    assert source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert source.suffix == ".md"


@pytest.mark.parametrize(
    "name", ["plans/god_plan.md", "plans/god_plan.yaml", "plans/god_plan.json", "plans/nynorsk_plan.md",
             "broken/invalid.yaml", "broken/schema_violation.yaml"],
)
def test_reading_leaves_the_input_file_unchanged(fixtures_dir: Path, name: str) -> None:
    path = fixtures_dir / name
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    stat_before = os.stat(path)
    listing_before = sorted(p.name for p in path.parent.iterdir())
    source = load_source(path)
    try:
        result = choose_reader(BUILTIN_READERS, source).read(source)
    except InputError:
        result = None
    if isinstance(result, Document):
        assert result.sha256 == before
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    stat_after = os.stat(path)
    assert (stat_after.st_mtime_ns, stat_after.st_size, stat_after.st_mode) == (
        stat_before.st_mtime_ns, stat_before.st_size, stat_before.st_mode,
    )
    assert sorted(p.name for p in path.parent.iterdir()) == listing_before  # no temp or backup files
