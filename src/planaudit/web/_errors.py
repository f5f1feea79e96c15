"""Errors as the web service answers them: a stable code, an HTTP status and one line in
bokmål or English - never a traceback.

The codes and texts are data (``data/messages.yaml``) so that a client, a translator and
the OpenAPI document all read the same list. The language is the request's: ``?lang=``,
else the first supported language in ``Accept-Language``, else bokmål.
"""
from __future__ import annotations

import json
import math
from functools import cache
from importlib.resources import files
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import HTTPConnection

__all__ = ["ERROR_CODES", "ApiError", "ErrorBody", "ErrorDetail", "error_json", "human_size", "request_lang"]

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
    message: str = Field(description="one line in the request's language (bokmål unless ?lang=en or "
                                     "Accept-Language: en)")


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


def request_lang(connection: HTTPConnection) -> str:
    """``nb`` or ``en``: ``?lang=``, else ``Accept-Language`` by its q-values, else ``nb``."""
    asked = connection.query_params.get("lang", "").strip().lower()
    if asked in ("nb", "en"):
        return asked
    return header_lang(connection.headers.get("accept-language", ""))


def header_lang(header: str) -> str:
    """The preferred of bokmål (nb, no, nn count as Norwegian) and English in an
    ``Accept-Language`` header; bokmål when neither is named."""
    best, best_q = "nb", 0.0
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
