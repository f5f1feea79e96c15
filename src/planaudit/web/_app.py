"""The web app: FastAPI routes for the pages and the API, the audit pool and the history
store opened by the lifespan, the upload limit, security headers and JSON errors.

``create_app`` loads the settings (registry, configuration, default profile) at once, so
a wrong ``--config`` or profile, or ``--ocr`` (``ocr = true``) without Tesseract, stops
``planaudit serve`` before it listens. The pool and the store start in the lifespan, so an
app made for the OpenAPI document starts no process and opens no database. Swagger UI and
ReDoc are off: they load their scripts from a CDN, and the page must work offline;
``/openapi.json`` is served.
"""
from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..engine import audit_options, load_settings
from ..history import HistoryStore
from ..model import Plan
from ..model.schemas import shipped_dir
from . import _api, _pages
from ._errors import ApiError, ErrorBody, error_json, human_size, request_lang, validation_detail
from ._limits import Refusal, Scope, UploadLimit
from ._pool import AuditPool
from ._service import Service, Store
from ._settings import ServeSettings

__all__ = ["API_VERSION", "create_app", "openapi_document", "write_openapi"]

#: The API's version in the OpenAPI document: the /api/v1 contract, not planaudit's release.
API_VERSION = "1"
#: Room in the request body for the multipart headers and the form's small fields.
FORM_OVERHEAD = 64 * 1024
_log = logging.getLogger("planaudit.web")

_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
_SECURITY_HEADERS = [
    (b"content-security-policy", _CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
_TAGS = [
    {"name": "audits", "description": "Audit a plan and read stored audits"},
    {"name": "catalogue", "description": "The rules and scoring profiles the server uses"},
    {"name": "service", "description": "Health"},
]


def create_app(settings: ServeSettings | None = None, *, store: Store | None = None) -> FastAPI:
    """The app for ``settings``. ``store`` replaces the history database (tests); without
    it the lifespan opens ``HistoryStore.open(settings.database_url)``."""
    settings = settings or ServeSettings()
    registry, config = load_settings(settings.config_path, strict=settings.strict, lang=settings.lang,
                                     rule_packs=settings.rule_packs)
    options = audit_options(registry, config, profile=settings.profile, lang=settings.lang,
                            max_size=settings.max_upload, ocr=settings.ocr)
    service = Service(settings, registry, str(options["profile"]))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        opened = store if store is not None else await run_in_threadpool(_open_store, settings)
        service.store = opened
        service.pool = AuditPool(settings, options)
        try:
            yield
        finally:
            service.pool.close()
            if store is None:
                opened.close()

    app = FastAPI(title="planaudit", version=API_VERSION, lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_tags=_TAGS, description="Quality audit of Norwegian municipal action plans "
                  "(boligsosiale handlingsplaner): upload a plan, get the report contract of `planaudit check "
                  "--format json`. Errors are `{\"error\": {\"code\", \"message\"}}` with a stable code; "
                  "messages in bokmål, or English with `?lang=en` or `Accept-Language: en`.")
    app.state.service = service
    app.include_router(_api.router)
    app.include_router(_pages.router)
    app.mount("/static", StaticFiles(packages=[("planaudit.web", "data/static")]), name="static")
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    _handle_errors(app, service)
    app.add_middleware(UploadLimit, limit=settings.max_upload + FORM_OVERHEAD,
                       refuse=lambda scope: _too_large(scope, service))
    app.add_middleware(_SecurityHeaders)
    return app


def _open_store(settings: ServeSettings) -> Store:
    return HistoryStore.open(settings.database_url)


# --- errors ------------------------------------------------------------------------------------


def _wants_page(request: Request) -> bool:
    """The browser's pages answer errors with a page, and so does any address outside the
    API that a browser asks for (a mistyped address); the API and other clients get JSON."""
    path = request.url.path
    if path == "/" or path.startswith(("/revisjoner", "/historikk")):
        return True
    api = path.startswith(("/api/", "/healthz", "/openapi.json", "/static/"))
    return not api and "text/html" in request.headers.get("accept", "")


def _error_response(request: Request, err: ApiError, service: Service) -> Response:
    if _wants_page(request):
        lang = request.query_params.get("lang") if request.query_params.get("lang") in ("nb", "en") \
            else service.settings.lang
        return HTMLResponse(_pages.error_page(err, lang), status_code=err.status, headers=err.headers)
    return Response(error_json(err, request_lang(request)), status_code=err.status, headers=err.headers,
                    media_type="application/json")


def _handle_errors(app: FastAPI, service: Service) -> None:
    async def api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return _error_response(request, exc, service)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 405:
            err = ApiError("method_not_allowed", method=request.method, path=request.url.path)
            err.headers.update(exc.headers or {})
        elif exc.status_code == 404:
            err = ApiError("not_found", what=request.url.path)
        else:
            err = ApiError("invalid_request", detail=str(exc.detail))
        return _error_response(request, err, service)

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        first = exc.errors()[0] if exc.errors() else {}
        return _error_response(request, ApiError("invalid_request", detail=validation_detail(first)), service)

    async def bug(request: Request, exc: Exception) -> Response:
        _log.exception("internal error on %s %s", request.method, request.url.path)
        return _error_response(request, ApiError("internal_error"), service)

    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(Exception, bug)


def _too_large(scope: Scope, service: Service) -> Refusal:
    """The answer to a body over the limit: the upload page again for the form, JSON otherwise."""
    request = Request(scope)
    settings = service.settings
    err = ApiError("file_too_large", limit=human_size(settings.max_upload))
    if _wants_page(request):
        lang = request.query_params.get("lang") if request.query_params.get("lang") in ("nb", "en") \
            else settings.lang
        body = _pages.upload_page(service, lang, err.message(lang)).encode("utf-8")
        return err.status, [(b"content-type", b"text/html; charset=utf-8"), *_SECURITY_HEADERS], body
    return err.status, [(b"content-type", b"application/json"), *_SECURITY_HEADERS], \
        error_json(err, request_lang(request))


class _SecurityHeaders:
    """The same security headers on every response: scripts only from this server (no
    inline script), no framing, no referrer, no content sniffing."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                present = {key.lower() for key, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *(header for header in _SECURITY_HEADERS if header[0] not in present)]
            await send(message)

        await self.app(scope, receive, with_headers)


# --- the OpenAPI document ----------------------------------------------------------------------


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, with the structured plan's schema (the JSON request body) added."""
    if app.openapi_schema is None:
        document = get_openapi(title=app.title, version=API_VERSION, description=app.description,
                               routes=app.routes, tags=app.openapi_tags)
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        plan = Plan.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, definition in plan.pop("$defs", {}).items():
            # the plan's and the report's models have distinct names; a clash would be a bug here
            assert schemas.setdefault(name, definition) == definition, f"two schemas named {name}"
        schemas["Plan"] = plan
        _errors_as_documented(document)
        app.openapi_schema = document
    return app.openapi_schema


def _errors_as_documented(document: dict[str, Any]) -> None:
    """A parameter FastAPI cannot validate is answered 400 with the error body (see
    ``invalid`` above), not FastAPI's 422 validation list: document it so."""
    error = {"description": "Bad request: a parameter is invalid",
             "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}}
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.get("responses", {})
            default = responses.get("422", {}).get("content", {}).get("application/json", {}).get("schema", {})
            if default.get("$ref", "").endswith("/HTTPValidationError"):
                del responses["422"]
                responses.setdefault("400", error)
    schemas = document.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    schemas.setdefault("ErrorBody", ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}"))


def openapi_document(app: FastAPI | None = None) -> str:
    """The OpenAPI document as checked in at ``planaudit/schemas/openapi.json``: sorted keys,
    so the same routes give the same bytes."""
    return json.dumps((app or create_app()).openapi(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"



def write_openapi() -> Path:
    """Write the checked-in document again after the API changed:
    ``python -c "from planaudit.web._app import write_openapi; write_openapi()"``."""
    path = shipped_dir() / "openapi.json"
    path.write_text(openapi_document(), encoding="utf-8")
    return path
