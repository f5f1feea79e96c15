"""The HTTP API through FastAPI's test client: each plan format in, the report contract out
(the same as ``planaudit.audit`` gives for the same bytes), stored and found again; the
catalogue endpoints; and every error code with its status, shape and both languages.

One app (two real audit processes) serves the whole module.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from _web import FORMATS, HANG, MISBEHAVING, FakeStore, error_of, running, sqlite_url
from fastapi.testclient import TestClient

from planaudit.engine import audit, default_registry
from planaudit.history import HistoryStore
from planaudit.model.schemas import shipped_dir
from planaudit.web import ServeSettings

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

PLANS = Path(__file__).resolve().parent.parent / "fixtures" / "plans"
BROKEN = Path(__file__).resolve().parent.parent / "fixtures" / "broken"
REPORT_SCHEMA = json.loads((shipped_dir() / "report.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, HistoryStore]]:
    url = sqlite_url(tmp_path_factory.mktemp("history"))
    with running(ServeSettings(workers=2, timeout=60, database_url=url)) as (client, store):
        yield client, store


@pytest.fixture(scope="module")
def client(served: tuple[TestClient, HistoryStore]) -> TestClient:
    return served[0]


def _without_path(report: dict[str, Any]) -> dict[str, Any]:
    return {**report, "document": {k: v for k, v in report["document"].items() if k != "path"}}


def _upload(client: TestClient, path: Path, **data: str) -> Any:
    return client.post("/api/v1/audits", files={"file": (path.name, path.read_bytes())}, data=data)


# --- audits in, reports out ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["plan_nb.pdf", "plan_nb.docx", "plan_nb.odt", "plan_nb.html", "plan_nb.md"])
def test_each_format_gives_the_report_audit_gives(client: TestClient, name: str) -> None:
    path = FORMATS / name
    response = _upload(client, path)
    assert response.status_code == 201, response.text
    body = response.json()
    jsonschema.validate(body, REPORT_SCHEMA)
    expected = audit(path.read_bytes(), name=name).model_dump(mode="json")
    assert _without_path(body) == _without_path(expected)
    assert body["document"]["path"] == name
    audit_id = response.headers["x-audit-id"]
    assert response.headers["location"] == f"/api/v1/audits/{audit_id}"
    again = client.get(response.headers["location"])
    assert again.status_code == 200 and again.json() == body


def test_a_structured_plan_is_sent_as_json(client: TestClient) -> None:
    data = (PLANS / "god_plan.json").read_bytes()
    response = client.post("/api/v1/audits", content=data, headers={"content-type": "application/json"})
    assert response.status_code == 201, response.text
    jsonschema.validate(response.json(), REPORT_SCHEMA)
    expected = audit(data, name="plan.json").model_dump(mode="json")
    assert _without_path(response.json()) == _without_path(expected)
    assert response.json()["plan"]["municipality"] == "Fjellvik"


def test_profile_and_language_are_chosen_per_request(client: TestClient) -> None:
    path = FORMATS / "plan_svak_nb.md"
    response = _upload(client, path, profile="husbanken", lang="en")
    assert response.status_code == 201, response.text
    expected = audit(path.read_bytes(), name=path.name, profile="husbanken", lang="en").model_dump(mode="json")
    assert response.json()["profile"] == "husbanken"
    assert _without_path(response.json()) == _without_path(expected)


def _truncated_pdf() -> bytes:
    data = (FORMATS / "plan_nb.pdf").read_bytes()
    return data[: len(data) // 3]


def test_the_form_field_lang_sets_the_error_messages_language_too(client: TestClient) -> None:
    broken = {"file": ("avkortet.pdf", _truncated_pdf())}
    nb = client.post("/api/v1/audits", files=broken)
    english = client.post("/api/v1/audits", files=broken, data={"lang": "en"})
    assert nb.status_code == english.status_code == 422, english.text
    assert error_of(english) == error_of(client.post("/api/v1/audits", files=broken, params={"lang": "en"}))
    assert error_of(english)[1] != error_of(nb)[1]
    plan = {"file": ("plan.md", (FORMATS / "plan_nb.md").read_bytes())}
    unknown = client.post("/api/v1/audits", files=plan, data={"profile": "nope", "lang": "en"})
    assert error_of(unknown)[0] == "unknown_profile"
    assert error_of(unknown)[1].startswith('Unknown profile "nope"'), error_of(unknown)
    no_file = client.post("/api/v1/audits", files={"other": ("x.txt", b"x")}, data={"lang": "en"})
    assert error_of(no_file)[1].startswith("No plan file in the request"), error_of(no_file)


def test_accept_language_sets_the_reports_language_too(client: TestClient) -> None:
    path = FORMATS / "plan_svak_nb.md"
    english = audit(path.read_bytes(), name=path.name, lang="en").model_dump(mode="json")
    norwegian = audit(path.read_bytes(), name=path.name, lang="nb").model_dump(mode="json")
    assert english != norwegian, "the plan's report must differ by language for this test to mean anything"
    by_header = _upload_with(client, path, headers={"accept-language": "en-GB,en;q=0.9"})
    assert by_header.status_code == 201, by_header.text
    assert _without_path(by_header.json()) == _without_path(english)
    structured = (PLANS / "god_plan.json").read_bytes()
    as_json = client.post("/api/v1/audits", content=structured,
                          headers={"content-type": "application/json", "accept-language": "en"})
    assert _without_path(as_json.json()) == _without_path(audit(structured, name="plan.json", lang="en")
                                                           .model_dump(mode="json"))


def test_one_language_for_report_and_errors_form_then_query_then_header(client: TestClient) -> None:
    """The order the createAudit description documents: the form field ``lang``, then
    ``?lang``, then ``Accept-Language``, then the server's language (bokmål here)."""
    path = FORMATS / "plan_svak_nb.md"
    reports = {lang: _without_path(audit(path.read_bytes(), name=path.name, lang=lang).model_dump(mode="json"))
               for lang in ("nb", "en")}
    unknown = {"profile": "nope"}
    cases = [({"lang": "nb"}, {"lang": "en"}, {"accept-language": "en"}, "nb"),
             ({"lang": "en"}, {"lang": "nb"}, {"accept-language": "nb"}, "en"),
             ({}, {"lang": "en"}, {"accept-language": "nb"}, "en"),
             ({}, {"lang": "nb"}, {"accept-language": "en"}, "nb"),
             ({}, {}, {"accept-language": "en"}, "en"),
             ({}, {}, {}, "nb")]
    for form, query, headers, chosen in cases:
        report = _upload_with(client, path, data=form, params=query, headers=headers)
        assert _without_path(report.json()) == reports[chosen], (form, query, headers)
        error = _upload_with(client, path, data={**form, **unknown}, params=query, headers=headers)
        message = error_of(error)[1]
        assert message.startswith("Unknown profile" if chosen == "en" else "Ukjent profil"), (form, query, headers)


def test_a_form_field_lang_that_is_neither_nb_nor_en_is_refused(client: TestClient) -> None:
    response = _upload_with(client, FORMATS / "plan_nb.md", data={"lang": "de"})
    assert response.status_code == 400
    assert error_of(response) == ("invalid_request", "Ugyldig forespørsel: lang: må være «nb» eller «en»")


def test_a_validation_error_is_in_the_requests_language(client: TestClient) -> None:
    cases = [({"lang": "de"}, "lang: må være «nb» eller «en»", "lang: must be 'nb' or 'en'"),
             ({"limit": "mange"}, "limit: må være et heltall", "limit: must be a whole number"),
             ({"limit": "0"}, "limit: må være minst 1", "limit: must be at least 1"),
             ({"limit": "501"}, "limit: kan være høyst 500", "limit: must be at most 500")]
    for params, nb, en in cases:
        norwegian = client.get("/api/v1/audits", params=params)
        english = client.get("/api/v1/audits", params=params, headers={"accept-language": "en"})
        assert norwegian.status_code == english.status_code == 400
        assert error_of(norwegian) == ("invalid_request", f"Ugyldig forespørsel: {nb}")
        assert error_of(english) == ("invalid_request", f"Invalid request: {en}")


def test_a_time_limit_of_one_second_is_said_in_the_singular(tmp_path: Path) -> None:
    settings = ServeSettings(workers=1, timeout=1, audit_function=MISBEHAVING)
    with running(settings, store=FakeStore()) as (client, _):
        hang = {"file": ("heng.md", HANG + str(tmp_path / "pid").encode())}
        norwegian = error_of(client.post("/api/v1/audits", files=hang))
        english = error_of(client.post("/api/v1/audits", files=hang, params={"lang": "en"}))
    assert norwegian[0] == english[0] == "audit_timeout"
    assert "mer enn 1 sekund og" in norwegian[1], norwegian
    assert "more than 1 second and" in english[1], english


def _upload_with(client: TestClient, path: Path, **options: Any) -> Any:
    return client.post("/api/v1/audits", files={"file": (path.name, path.read_bytes())}, **options)


def test_the_uploaded_name_is_reduced_to_its_base_name(client: TestClient) -> None:
    data = (FORMATS / "plan_nb.md").read_bytes()
    response = client.post("/api/v1/audits", files={"file": ("../../etc/C:\\tmp\\plan nb.md", data)})
    assert response.status_code == 201, response.text
    assert response.json()["document"]["path"] == "plan nb.md"


def test_stored_audits_are_listed_newest_first_and_by_municipality(
        served: tuple[TestClient, HistoryStore]) -> None:
    client, store = served
    first = _upload(client, FORMATS / "plan_nb.md").headers["x-audit-id"]
    second = client.post("/api/v1/audits", content=(PLANS / "god_plan.json").read_bytes(),
                         headers={"content-type": "application/json"}).headers["x-audit-id"]
    listed = client.get("/api/v1/audits", params={"limit": 2}).json()
    assert [item["id"] for item in listed] == [second, first]
    assert listed[0]["municipality"] == "Fjellvik" and listed[0]["source"] == "api"
    assert listed[0]["has_document"] is False and store.document(second) is None
    only = client.get("/api/v1/audits", params={"municipality": "fjellvik kommune", "limit": 500}).json()
    assert only and {item["municipality"] for item in only} == {"Fjellvik"}
    assert second in {item["id"] for item in only} and first not in {item["id"] for item in only}


def test_concurrent_uploads_all_succeed(client: TestClient) -> None:
    names = ["plan_nb.md", "plan_svak_nb.md", "plan_nn.md", "plan_nb.html"] * 2
    expected = {name: _without_path(audit((FORMATS / name).read_bytes(), name=name).model_dump(mode="json"))
                for name in set(names)}
    with ThreadPoolExecutor(max_workers=8) as threads:
        responses = list(threads.map(lambda name: (name, _upload(client, FORMATS / name)), names))
    assert [response.status_code for _, response in responses] == [201] * 8
    for name, response in responses:
        assert _without_path(response.json()) == expected[name]
    assert len({response.headers["x-audit-id"] for _, response in responses}) == 8


# --- the catalogue and health ----------------------------------------------------------------------


def test_rules_lists_every_rule_with_its_criterion_title(client: TestClient) -> None:
    registry = default_registry()
    rules = client.get("/api/v1/rules").json()
    assert [rule["id"] for rule in rules] == [info.id for info in registry.rule_infos()]
    english = {rule["id"]: rule["criterion_title"] for rule in client.get("/api/v1/rules?lang=en").json()}
    norwegian = {rule["id"]: rule["criterion_title"] for rule in rules}
    assert english["PA001"] == registry.criterion_titles("en")["measurable_goals"] != norwegian["PA001"]


def test_profiles_lists_the_profiles_and_marks_the_default(client: TestClient) -> None:
    profiles = client.get("/api/v1/profiles").json()
    assert {"kommune", "husbanken"} <= {profile["name"] for profile in profiles}
    assert [profile["name"] for profile in profiles if profile["default"]] == ["kommune"]
    assert all(0 <= profile["pass_score"] <= 100 for profile in profiles)


def test_healthz_says_ok(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok" and response.json()["database"] == "ok"
    assert response.json()["version"]


def test_a_database_that_is_down_is_503(tmp_path: Path) -> None:
    store = FakeStore()
    store.down = True
    with running(ServeSettings(workers=1), store=store) as (client, _):
        down = client.get("/healthz")
        assert down.status_code == 503 and down.json()["status"] == "unavailable"
        assert "databasen svarer ikke" in down.json()["database"]
        code, message = error_of(client.get("/api/v1/audits"))
        assert code == "database_unavailable" and "databasen svarer ikke" in message
        english = client.get("/api/v1/audits", headers={"accept-language": "en"})
        assert error_of(english) == ("database_unavailable",
                                     "The history database is unavailable: the database does not answer")
        upload = client.post("/api/v1/audits", files={"file": ("plan.md", (FORMATS / "plan_nb.md").read_bytes())})
        assert upload.status_code == 503 and error_of(upload)[0] == "database_unavailable"


def test_no_swagger_ui_from_a_cdn(client: TestClient) -> None:
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404


# --- errors ----------------------------------------------------------------------------------------


def _requests() -> list[tuple[str, int, Any]]:
    """Each error a client can cause, with its code and status; a request is a function of
    the client and the extra headers/params that choose the language."""
    binary = (BROKEN / "binary.dat").read_bytes()
    return [
        ("missing_file", 400, lambda c, h, p: c.post("/api/v1/audits", data={"profile": "kommune"},
                                                       files={"other": ("x.txt", b"x")}, headers=h, params=p)),
        ("missing_file", 400, lambda c, h, p: c.post("/api/v1/audits", headers=h, params=p)),
        ("invalid_request", 400, lambda c, h, p: c.get("/api/v1/audits", params={"limit": "mange", **p}, headers=h)),
        ("unsupported_media_type", 415, lambda c, h, p: c.post("/api/v1/audits", content=b"plan",
                                                                 headers={"content-type": "text/plain", **h},
                                                                 params=p)),
        ("unreadable_document", 422, lambda c, h, p: c.post("/api/v1/audits", files={"file": ("data.pdf", binary)},
                                                              headers=h, params=p)),
        ("unreadable_document", 422, lambda c, h, p: c.post("/api/v1/audits", files={"file": ("tom.md", b"")},
                                                              headers=h, params=p)),
        ("invalid_plan", 422, lambda c, h, p: c.post("/api/v1/audits", content=b'{"goals": "ingen liste"}',
                                                       headers={"content-type": "application/json", **h}, params=p)),
        ("invalid_plan", 422, lambda c, h, p: c.post("/api/v1/audits", content=b'{"metadata": ',
                                                       headers={"content-type": "application/json", **h}, params=p)),
        ("unknown_profile", 422, lambda c, h, p: c.post(
            "/api/v1/audits", files={"file": ("plan.md", (FORMATS / "plan_nb.md").read_bytes())},
            data={"profile": "streng"}, headers=h, params=p)),
        ("not_found", 404, lambda c, h, p: c.get("/api/v1/audits/" + "0" * 32, headers=h, params=p)),
        ("not_found", 404, lambda c, h, p: c.get("/api/v2/finnes-ikke", headers=h, params=p)),
        ("method_not_allowed", 405, lambda c, h, p: c.delete("/api/v1/rules", headers=h, params=p)),
    ]


@pytest.mark.parametrize(("code", "status", "send"), _requests(),
                         ids=[f"{code}-{i}" for i, (code, _, _) in enumerate(_requests())])
def test_errors_have_a_stable_code_and_a_message_in_both_languages(client: TestClient, code: str, status: int,
                                                                   send: Any) -> None:
    nb = send(client, {}, {})
    assert nb.status_code == status, nb.text
    assert error_of(nb)[0] == code
    by_header = send(client, {"accept-language": "en-GB,en;q=0.9,nb;q=0.5"}, {})
    by_query = send(client, {}, {"lang": "en"})
    for english in (by_header, by_query):
        assert english.status_code == status
        assert error_of(english)[0] == code
        assert error_of(english)[1] != error_of(nb)[1]
    assert error_of(by_header)[1] == error_of(by_query)[1]


def test_a_method_not_allowed_says_which_methods_are(client: TestClient) -> None:
    response = client.delete("/api/v1/rules")
    assert response.status_code == 405 and response.headers.get("allow") == "GET"


def test_an_unexpected_error_is_internal_error_without_a_traceback() -> None:
    class Broken(FakeStore):
        def list(self, **_: Any) -> list[Any]:
            raise RuntimeError("hemmelig detalj fra databasen")

    with running(ServeSettings(workers=1), store=Broken()) as (client, _):
        response = client.get("/api/v1/audits")
        english = client.get("/api/v1/audits?lang=en")
    assert response.status_code == 500 and english.status_code == 500
    assert error_of(response)[0] == "internal_error" and error_of(english)[0] == "internal_error"
    assert "hemmelig" not in response.text and "RuntimeError" not in response.text
    assert error_of(response)[1] != error_of(english)[1]


# --- the OpenAPI document -------------------------------------------------------------------------


def test_the_served_openapi_document_is_the_checked_in_one(client: TestClient) -> None:
    checked_in = json.loads((shipped_dir() / "openapi.json").read_text(encoding="utf-8"))
    assert client.get("/openapi.json").json() == checked_in, (
        "the API changed: run python -c \"from planaudit.web._app import write_openapi; write_openapi()\"")


def test_the_openapi_document_names_the_operations_and_their_models(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    assert document["info"]["version"] == "1"
    operations = {op["operationId"]: op for path in document["paths"].values() for op in path.values()}
    assert set(operations) == {"createAudit", "listAudits", "getAudit", "listRules", "listProfiles", "health"}
    created = operations["createAudit"]["responses"]
    assert created["201"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/AuditReport"}
    for status in ("400", "413", "415", "422", "503"):
        assert created[status]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorBody"}
    assert "HTTPValidationError" not in document["components"]["schemas"]
    assert not [path for path in document["paths"] if not path.startswith(("/api/v1/", "/healthz"))]
