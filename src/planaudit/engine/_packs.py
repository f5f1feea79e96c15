"""Loading declarative rule packs: YAML checked against the pack model and each check type,
compiled into Rule classes like any Python rule. A broken pack is one ``file:line: message``.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import ConfigError
from ..model import CRITERIA, PackCriterion, RulePack
from ._pack_rule import PackRuleBase, pack_rule_class
from ._yaml_lines import LinedYaml, YamlLineError
from .checks import CheckError, CheckType, CompiledCheck

__all__ = ["LoadedPack", "load_pack", "read_pack"]

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class LoadedPack:
    """A pack, where it came from, and the rule classes compiled from it."""

    pack: RulePack
    source: str
    rules: tuple[type[PackRuleBase], ...]


class _PackError(Exception):
    def __init__(self, path: Path_, nb: str, en: str) -> None:
        super().__init__(en)
        self.path, self.nb, self.en = path, nb, en


def read_pack(source: str | Path | Traversable) -> tuple[str, str]:
    """A pack file's name (as errors show it) and text; an unreadable file is one line."""
    name = str(source)
    try:
        return name, (Path(source) if isinstance(source, str) else source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(name, f"regelpakken kan ikke leses ({err})", f"the rule pack cannot be read ({err})") from None


def load_pack(
    source: str | Path | Traversable,
    check_types: Mapping[str, CheckType],
    known_criteria: Sequence[str] = CRITERIA,
    text: str | None = None,
) -> LoadedPack:
    """Read, check and compile one pack. ``known_criteria`` are those its rules may feed
    besides the criteria it declares itself."""
    name, text = (str(source), text) if text is not None else read_pack(source)
    try:
        lined = LinedYaml(text)
    except YamlLineError as err:
        raise ConfigError(f"{name}:{err.line}", f"ugyldig YAML: {err}", f"invalid YAML: {err}") from None
    try:
        pack = _validated(RulePack, lined.data, ())
        _check_ids(pack, known_criteria)
        rules = tuple(pack_rule_class(pack, rule, _compile(rule.check, ("rules", index, "check"), check_types),
                                      name)
                      for index, rule in enumerate(pack.rules))
    except _PackError as err:
        raise ConfigError(f"{name}:{lined.line(err.path)}", _where(err.path, err.nb), _where(err.path, err.en)) from None
    return LoadedPack(pack, name, rules)


def _where(path: Path_, message: str) -> str:
    dotted = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path).lstrip(".")
    return f"{dotted}: {message}" if dotted else message


def _validated(model: type[BaseModel], data: Any, at: Path_) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as err:
        # a misspelt key is both unknown and missing; the unknown one says what to fix
        first = min(err.errors(), key=lambda error: error["type"] != "extra_forbidden")
        loc = tuple(first["loc"])
        if first["type"] == "missing":
            nb, en = f"{loc[-1]} mangler", f"{loc[-1]} is missing"
            loc = loc[:-1]
        else:
            nb, en = _messages(first)
        raise _PackError((*at, *loc), nb, en) from None


_NB_MESSAGES = {
    "extra_forbidden": "ukjent nøkkel (skrivefeil?)",
    "string_pattern_mismatch": "har feil form (må passe {pattern})",
    "literal_error": "må være en av {expected}",
    "too_short": "kan ikke være tom",
    "string_too_short": "kan ikke være tom",
    "greater_than_equal": "må være minst {ge}",
    "greater_than": "må være over {gt}",
    "less_than_equal": "kan være høyst {le}",
    "string_type": "må være en tekst",
    "int_parsing": "må være et heltall",
    "float_parsing": "må være et tall",
    "list_type": "må være en liste",
    "dict_type": "må være en tabell (nøkkel: verdi)",
    "model_type": "må være en tabell (nøkkel: verdi)",
    "bool_parsing": "må være true eller false",
}


# Fields whose pattern means something a pack author should be told in words.
_FORMS = {
    "id": ("må være pakkens prefiks og tre sifre, f.eks. KF001", "must be the pack's prefix and three digits, e.g. KF001"),
    "prefix": ("må være 2–8 store bokstaver, f.eks. KF", "must be 2–8 capital letters, e.g. KF"),
    "name": ("må være små bokstaver med punktum mellom delene, f.eks. frister.uklare_ord",
             "must be lower-case words joined by dots, e.g. deadlines.vague_words"),
    "pack": ("må være små bokstaver, sifre og bindestrek, f.eks. klare-frister",
             "must be lower-case letters, digits and hyphens, e.g. clear-deadlines"),
}


def _messages(error: Mapping[str, Any]) -> tuple[str, str]:
    field = error["loc"][-1] if error["loc"] else ""
    if error["type"] == "string_pattern_mismatch" and field in _FORMS:
        return _FORMS[field]
    template = _NB_MESSAGES.get(error["type"])
    english = str(error["msg"]).removeprefix("Value error, ")
    if template is None:
        return english, english
    context = {key: str(value).replace(" or ", " eller ") for key, value in (error.get("ctx") or {}).items()}
    return template.format(**context), english


def _check_ids(pack: RulePack, known_criteria: Sequence[str]) -> None:
    own = [criterion.id for criterion in pack.criteria]
    clashing = [cid for cid in own if cid in known_criteria]
    if clashing:
        index = own.index(clashing[0])
        raise _PackError(("criteria", index, "id"), f"kriteriet {clashing[0]!r} finnes fra før",
                         f"criterion {clashing[0]!r} already exists")
    seen: set[str] = set()
    for index, rule in enumerate(pack.rules):
        if not rule.id.startswith(pack.prefix):
            raise _PackError(("rules", index, "id"), f"regel-ID-en må begynne med pakkens prefiks {pack.prefix}",
                             f"the rule id must start with the pack's prefix {pack.prefix}")
        if rule.id in seen:
            raise _PackError(("rules", index, "id"), f"regel-ID {rule.id} står to ganger i pakken",
                             f"rule id {rule.id} appears twice in the pack")
        seen.add(rule.id)
        if rule.criterion not in (*known_criteria, *own):
            known = ", ".join((*known_criteria, *own))
            raise _PackError(("rules", index, "criterion"),
                             f"ukjent kriterium {rule.criterion!r} (kjente: {known}; eller deklarer det under criteria)",
                             f"unknown criterion {rule.criterion!r} (known: {known}; or declare it under criteria)")


def _compile(raw: Any, at: Path_, check_types: Mapping[str, CheckType]) -> CompiledCheck:
    """A check mapping compiled with its type; nested checks (conditional) recursively."""
    if not isinstance(raw, dict) or not isinstance(raw.get("type"), str):
        raise _PackError(at, "en sjekk er en tabell med type og parametere", "a check is a mapping with a type")
    kind = check_types.get(raw["type"])
    if kind is None:
        known = ", ".join(sorted(check_types))
        raise _PackError((*at, "type"), f"ukjent sjekktype {raw['type']!r} (finnes: {known})",
                         f"unknown check type {raw['type']!r} (known: {known})")
    params = _validated(kind.params, raw, at)
    try:
        prepared = kind.prepare(params, lambda child, key: _compile(child, (*at, key), check_types))
    except CheckError as err:
        raise _PackError((*at, err.key) if err.key else at, str(err), str(err)) from None
    return CompiledCheck(kind, params, prepared)


def criteria_of(packs: Sequence[LoadedPack]) -> dict[str, PackCriterion]:
    return {criterion.id: criterion for loaded in packs for criterion in loaded.pack.criteria}
