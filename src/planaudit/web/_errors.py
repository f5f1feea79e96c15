"""Errors as the web service answers them: a stable code, an HTTP status and one line in
bokmål or English - never a traceback.

The codes and texts are data (``data/messages.yaml``) so that a client, a translator and
the OpenAPI document all read the same list. The language is the request's: ``?lang=``,
else the first supported language in ``Accept-Language``, else bokmål - unless the endpoint
chose one itself (``request.state.lang``: ``POST /api/v1/audits`` also reads the form's
``lang``, and gives its report and its errors in the same language).
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from functools import cache
from importlib.resources import files
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import HTTPConnection

__all__ = ["ERROR_CODES", "ApiError", "ErrorBody", "ErrorDetail", "choices", "error_json", "human_size",
           "request_lang", "seconds", "validation_detail"]

#: A parameter given in both languages (a PlanauditError's cause), or one text for both.
Param = str | tuple[str, str]
_HEADER_LANGS = {"nb": "nb", "no": "nb", "nn": "nb", "en": "en"}


@cache
def _messages() -> dict[str, dict[str, Any]]:
    text = files("planaudit.web").joinpath("data/messages.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


ERROR_CODES: tuple[str, ...] = tuple(_messages())


class ErrorDetail(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str = Field(description="stable snake_case code, e.g. file_too_large", examples=["file_too_large"])
    message: str = Field(description="one line in the request's language: ?lang, else Accept-Language, else "
                                     "bokmål (createAudit: its form field lang first, and the server's "
                                     "language last)")


class ErrorBody(BaseModel):
    """Every error response's body."""

    model_config = ConfigDict(frozen=True)

    error: ErrorDetail


class ApiError(Exception):
    """An error with one of the codes in ``data/messages.yaml``, its parameters and extra headers."""

    def __init__(self, code: str, /, headers: dict[str, str] | None = None, **params: Param) -> None:
        if code not in _messages():
            raise ValueError(f"unknown error code {code!r}")
        super().__init__(code)
        self.code = code
        self.params = params
        self.headers = headers or {}

    @property
    def status(self) -> int:
        return int(_messages()[self.code]["status"])

    def message(self, lang: str) -> str:
        index = 1 if lang == "en" else 0
        values = {key: value[index] if isinstance(value, tuple) else value for key, value in self.params.items()}
        return str(_messages()[self.code]["en" if lang == "en" else "nb"]).format(**values)


def error_json(err: ApiError, lang: str) -> bytes:
    body = ErrorBody(error=ErrorDetail(code=err.code, message=err.message(lang)))
    return json.dumps(body.model_dump(), ensure_ascii=False).encode("utf-8")


def request_lang(connection: HTTPConnection, default: str = "nb") -> str:
    """``nb`` or ``en``: the endpoint's own choice (``request.state.lang``), else ``?lang=``,
    else ``Accept-Language`` by its q-values, else ``default``."""
    chosen = getattr(connection.state, "lang", None)
    if chosen in ("nb", "en"):
        return str(chosen)
    asked = connection.query_params.get("lang", "").strip().lower()
    if asked in ("nb", "en"):
        return asked
    return header_lang(connection.headers.get("accept-language", ""), default)


def header_lang(header: str, default: str = "nb") -> str:
    """The preferred of bokmål (nb, no, nn count as Norwegian) and English in an
    ``Accept-Language`` header; ``default`` when neither is named."""
    best, best_q = default, 0.0
    for item in header.split(","):
        tag, _, params = item.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        lang = _HEADER_LANGS.get(tag.strip().lower().split("-")[0])
        # strictly greater: of equal preferences the header's first wins
        if lang and math.isfinite(q) and q > best_q:
            best, best_q = lang, q
    return best


def human_size(size: int) -> str:
    """Bytes as a user reads them: 50 MB, 512 kB (1 MB = 1024 × 1024 bytes, as ``--max-upload``)."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("kB", 1024)):
        if size >= factor:
            value = size / factor
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{size} B"


def seconds(value: float) -> tuple[str, str]:
    """A number of seconds as a message says it: "1 sekund", "2,5 sekunder"; "1 second", "2.5 seconds"."""
    number = f"{value:g}"
    if value == 1:
        return f"{number} sekund", f"{number} second"
    return f"{number.replace('.', ',')} sekunder", f"{number} seconds"


def choices(values: Sequence[str]) -> tuple[str, str]:
    """The allowed values in both languages: må være «nb» eller «en»; must be 'nb' or 'en'."""
    nb = [f"«{value}»" for value in values]
    en = [f"'{value}'" for value in values]
    if len(values) < 2:
        return f"må være {''.join(nb)}", f"must be {''.join(en)}"
    return (f"må være {', '.join(nb[:-1])} eller {nb[-1]}", f"must be {', '.join(en[:-1])} or {en[-1]}")


_QUOTED = re.compile(r"'([^']*)'")


def _problem(error: Mapping[str, Any]) -> tuple[str, str]:
    """What is wrong with a parameter, from pydantic's error type (its own text is English)."""
    kind, ctx = str(error.get("type", "")), error.get("ctx") or {}
    if kind == "literal_error":
        return choices(_QUOTED.findall(str(ctx.get("expected", ""))))
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "må være et heltall", "must be a whole number"
    bounds = {"greater_than_equal": ("ge", "må være minst", "must be at least"),
              "less_than_equal": ("le", "kan være høyst", "must be at most"),
              "greater_than": ("gt", "må være større enn", "must be greater than"),
              "less_than": ("lt", "må være mindre enn", "must be less than")}
    if kind in bounds:
        key, nb, en = bounds[kind]
        return f"{nb} {ctx.get(key)}", f"{en} {ctx.get(key)}"
    if kind == "missing":
        return "mangler", "is missing"
    return "ugyldig verdi", str(error.get("msg", "invalid value"))


def validation_detail(error: Mapping[str, Any]) -> tuple[str, str]:
    """One of FastAPI's validation errors as ``invalid_request``'s detail in both
    languages: the parameter's name and what it must be."""
    where = ".".join(str(part) for part in error.get("loc", ()) if part not in ("query", "path", "header"))
    nb, en = _problem(error)
    return (f"{where}: {nb}", f"{where}: {en}") if where else (nb, en)
