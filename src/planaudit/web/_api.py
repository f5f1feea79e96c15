"""The HTTP API under ``/api/v1`` and ``/healthz``: the same ``audit()`` as the command
line, for case-handling systems.

``POST /api/v1/audits`` answers with exactly what ``planaudit check --format json`` prints
for one plan (the report contract), so a client that reads one reads the other. Every
error is :class:`ErrorBody` with a stable code; the responses each operation can give are
listed in the OpenAPI document.
"""
from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from ..engine import version
from ..history import AuditRecord
from ..model import AuditReport
from ._errors import ApiError, ErrorBody, choices, request_lang
from ._service import Service
from ._upload import read_multipart

__all__ = ["Health", "ProfileSummary", "RuleSummary", "router"]

router = APIRouter()

_JSON_NAME = "plan.json"
_LANGS = ("nb", "en")


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The error responses an operation documents, all with the one error body."""
    described = {400: "Bad request: no file, malformed form or parameter", 404: "Not found",
                 413: "Upload over the size limit", 415: "Unsupported content type",
                 422: "The plan cannot be audited (unreadable document, invalid plan, unknown profile, "
                      "time limit, crashed audit)",
                 503: "Busy (Retry-After) or history database unavailable"}
    return {code: {"model": ErrorBody, "description": described[code]} for code in codes}


class RuleSummary(BaseModel):
    id: str
    name: str
    criterion: str
    criterion_title: str
    severity: str
    weight: float
    summary: str
    citation: str
    plugin: str
    pack: str


class ProfileSummary(BaseModel):
    name: str
    title: str
    pass_score: int
    weights: dict[str, float]
    required: dict[str, int]
    default: bool = Field(description="the profile used when a request names none")


class Health(BaseModel):
    status: Literal["ok", "unavailable"]
    version: str
    database: str = Field(description="ok, or why the history database cannot be reached")


def _service(request: Request) -> Service:
    return request.app.state.service  # type: ignore[no-any-return]


_UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {"schema": {
            "type": "object", "required": ["file"],
            "properties": {
                "file": {"type": "string", "format": "binary",
                         "description": "the plan: PDF, DOCX, ODT, HTML, Markdown, or a structured plan (JSON/YAML)"},
                "profile": {"type": "string", "description": "scoring profile, e.g. kommune or husbanken"},
                "lang": {"type": "string", "enum": ["nb", "en"],
                         "description": "the report's and the error messages' language (wins over `?lang`)"},
            }}},
        "application/json": {"schema": {"$ref": "#/components/schemas/Plan"}},
    },
}


@router.post(
    "/api/v1/audits", status_code=201, response_model=AuditReport, tags=["audits"], operation_id="createAudit",
    summary="Audit a plan",
    description="Upload a plan file (multipart/form-data, field `file`) or send a structured plan "
                "(application/json). The answer is the report contract, the same as `planaudit check "
                "--format json`; the audit is stored in the history, with its id in `Location` and `X-Audit-Id`.\n\n"
                "One language applies to both the report and the error messages: the form field `lang`, "
                "else `?lang`, else the first of nb/en in `Accept-Language`, else the server's language "
                "(`planaudit serve --lang`, bokmål unless set).",
    responses={201: {"description": "The report (the report contract), stored in the history", "headers": {"Location": {"schema": {"type": "string"}, "description": "the stored report"},
                                 "X-Audit-Id": {"schema": {"type": "string"}, "description": "the audit's id"}}},
               **_errors(400, 413, 415, 422, 503)},
    openapi_extra={"requestBody": _UPLOAD_BODY},
)
async def create_audit(
    request: Request,
    profile: str | None = Query(None, description="scoring profile (a form field of the same name wins)"),
    lang: Literal["nb", "en"] | None = Query(None, description="the report's and the error messages' language "
                                                               "(a form field of the same name wins)"),
) -> Response:
    service = _service(request)
    chosen = _choose_lang(request, None, service.settings.lang)
    service.refuse_if_full()
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "multipart/form-data":
        upload = await read_multipart(request, "file")
        chosen = _choose_lang(request, upload.fields.get("lang"), service.settings.lang)
        if upload.data is None:
            raise ApiError("missing_file", field="file")
        audit_id, report = await service.audit(upload.data, upload.filename, source="api",
                                               profile=upload.fields.get("profile") or profile, lang=chosen)
    elif content_type == "application/json" or content_type.endswith("+json"):
        body = await request.body()
        if not body.strip():
            raise ApiError("missing_file", field="file")
        try:
            audit_id, report = await service.audit(body, _JSON_NAME, profile=profile, lang=chosen, source="api")
        except ApiError as err:
            if err.code != "unreadable_document":
                raise
            raise ApiError("invalid_plan", **err.params) from None
    elif not content_type:
        raise ApiError("missing_file", field="file")
    else:
        raise ApiError("unsupported_media_type", type=content_type)
    location = f"/api/v1/audits/{audit_id}"
    return Response(service.render(report, "json", chosen), status_code=201,
                    media_type="application/json", headers={"Location": location, "X-Audit-Id": audit_id})


def _choose_lang(request: Request, form: str | None, default: str) -> str:
    """The one language of an audit's report and its errors: the form field ``lang``, else
    ``?lang``, else ``Accept-Language``, else ``default``; kept in ``request.state`` so that
    an error raised after this answers in it too. A form field other than nb or en is refused,
    as ``?lang`` is."""
    form = (form or "").strip()
    if form and form not in _LANGS:
        nb, en = choices(_LANGS)
        raise ApiError("invalid_request", detail=(f"lang: {nb}", f"lang: {en}"))
    chosen = form or request_lang(request, default)
    request.state.lang = chosen
    return chosen


@router.get("/api/v1/audits", response_model=list[AuditRecord], tags=["audits"], operation_id="listAudits",
            summary="List stored audits", description="Newest first; `municipality` matches with or without "
            "\"kommune\", in any case.", responses=_errors(400, 503))
async def list_audits(
    request: Request,
    municipality: str | None = Query(None, description="only this municipality's audits"),
    limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0),
    lang: Literal["nb", "en"] | None = Query(None, description="the error messages' language"),
) -> list[AuditRecord]:
    service = _service(request)
    assert service.store is not None
    records = await service.call_store(service.store.list, municipality=municipality or None, limit=limit,
                                       offset=offset)
    return list(records)


@router.get("/api/v1/audits/{audit_id}", response_model=AuditReport, tags=["audits"], operation_id="getAudit",
            summary="A stored report", description="The report contract as it was returned when the audit was made.",
            responses=_errors(404, 503))
async def get_audit(request: Request, audit_id: str,
                    lang: Literal["nb", "en"] | None = Query(None, description="the error messages' language"),
                    ) -> Response:
    service = _service(request)
    assert service.store is not None
    report = await service.call_store(service.store.report, audit_id)
    if report is None:
        raise ApiError("not_found", what=f"/api/v1/audits/{audit_id}")
    return Response(service.render(report, "json", "nb"), media_type="application/json",
                    headers={"X-Audit-Id": audit_id})


@router.get("/api/v1/rules", response_model=list[RuleSummary], tags=["catalogue"], operation_id="listRules",
            summary="The rules", description="Every rule the server runs, built in, from plugins and rule packs.")
async def list_rules(request: Request, lang: Literal["nb", "en"] | None = Query(None)) -> list[RuleSummary]:
    service = _service(request)
    titles = service.registry.criterion_titles(lang or request_lang(request))
    return [RuleSummary(id=info.id, name=info.name, criterion=info.criterion,
                        criterion_title=titles.get(info.criterion, info.criterion), severity=info.severity,
                        weight=info.weight, summary=info.summary, citation=info.citation, plugin=info.plugin,
                        pack=info.pack) for info in service.registry.rule_infos()]


@router.get("/api/v1/profiles", response_model=list[ProfileSummary], tags=["catalogue"],
            operation_id="listProfiles", summary="The scoring profiles")
async def list_profiles(request: Request, lang: Literal["nb", "en"] | None = Query(None)) -> list[ProfileSummary]:
    service = _service(request)
    chosen = lang or request_lang(request)
    return [ProfileSummary(name=profile.name, title=profile.title.get(chosen), pass_score=profile.pass_score, weights=dict(profile.weights),
                           required=dict(profile.required), default=profile.name == service.profile)
            for _, profile in sorted(service.registry.profiles.items())]


@router.get("/healthz", response_model=Health, tags=["service"], operation_id="health",
            summary="Is the service up", description="503 when the history database cannot be reached.",
            responses={503: {"model": Health, "description": "the history database is unavailable"}})
async def health(request: Request) -> JSONResponse:
    service = _service(request)
    assert service.store is not None
    try:
        await service.call_store(service.store.ping)
    except ApiError as err:
        body = Health(status="unavailable", version=version(), database=err.message(request_lang(request)))
        return JSONResponse(body.model_dump(), status_code=503)
    return JSONResponse(Health(status="ok", version=version(), database="ok").model_dump())
