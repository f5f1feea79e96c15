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
from _web import FORMATS, FakeStore, error_of, running, sqlite_url
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
