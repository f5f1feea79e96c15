"""The pages people use in a browser: upload a plan, read its report, look back at the history.

Everything works without JavaScript: the form posts the file and the server answers with
``303 See Other`` to the report page (post/redirect/get, so reloading does not audit the
plan again). ``/static/upload.js`` only adds drag-and-drop and a busy state. The report
page shows the HTML reporter's own content (``planaudit check --format html``), with links
to download it as HTML, JSON and SARIF. All pages go through the reporters' page shell, so
they look like the report and share its contrast and print rules.
"""
from __future__ import annotations

import html as html_lib
import re
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..engine import version
from ..history import profile_series, score_changes
from ..report import esc, page
from ._errors import ApiError, human_size
from ._service import Service
from ._upload import read_multipart

__all__ = ["error_page", "router", "upload_page"]

router = APIRouter(include_in_schema=False)

_HEAD = '<link rel="icon" href="data:,">\n<link rel="stylesheet" href="/static/web.css">\n<script src="/static/upload.js" defer></script>\n'
_ACCEPT = ".pdf,.docx,.odt,.html,.htm,.md,.markdown,.txt,.json,.yaml,.yml"
_DOWNLOADS = (("html", "HTML", "text/html; charset=utf-8"), ("json", "JSON", "application/json"),
              ("sarif", "SARIF", "application/sarif+json"))
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def t(lang: str, nb: str, en: str) -> str:
    return en if lang == "en" else nb


def _lang(request: Request, fallback: str = "nb") -> str:
    asked = request.query_params.get("lang", "")
    return asked if asked in ("nb", "en") else fallback


def _with_lang(path: str, lang: str, **params: str) -> str:
    """A link that keeps the page's language: always named, since the server's own default
    (``serve --lang``) may be the other one."""
    return f"{path}?{urlencode({**params, 'lang': lang})}"


def _nav(lang: str, here: str = "/", **params: str) -> str:
    """The menu; its language link leads to this page (``here`` with ``params``) in the other
    language, named by address, not relative to it, since a page re-shown after a POST has
    the form's address."""
    other, other_name = ("nb", "Norsk (bokmål)") if lang == "en" else ("en", "English")
    links = [(_with_lang("/", lang), t(lang, "Ny revisjon", "New audit")),
             (_with_lang("/historikk", lang), t(lang, "Historikk", "History"))]
    items = "".join(f'<li><a href="{esc(href)}">{esc(text)}</a></li>' for href, text in links)
    switch_to = _with_lang(here, other, **params)
    switch = f'<li><a href="{esc(switch_to)}" lang="{other}" hreflang="{other}">{other_name}</a></li>'
    return (f'<nav class="site-nav" aria-label="{esc(t(lang, "Hovedmeny", "Main menu"))}">'
            f'<span class="brand">planaudit</span><ul>{items}{switch}</ul></nav>')


def _footer(lang: str) -> str:
    return esc(t(lang, f"planaudit {version()} · vurderingen er maskinell og bør leses sammen med planen",
                 f"planaudit {version()} · the assessment is automatic; read it with the plan"))


def _shell(title: str, body: str, lang: str, footer: str = "", here: str = "/", **params: str) -> str:
    return page(title, _nav(lang, here, **params) + "\n" + body, lang, footer=footer or _footer(lang), head=_HEAD)


def _service(request: Request) -> Service:
    return request.app.state.service  # type: ignore[no-any-return]


# --- the upload page ---------------------------------------------------------------------------


def upload_page(service: Service, lang: str, error: str | None = None, profile: str | None = None) -> str:
    """The upload form; ``error`` (one line) is shown above it, announced to screen readers."""
    chosen = profile if profile in service.registry.profiles else service.profile
    options = "".join(
        f'<option value="{esc(name)}"{" selected" if name == chosen else ""}>'
        f"{esc(item.title.get(lang))} ({esc(name)})</option>"
        for name, item in sorted(service.registry.profiles.items()))
    limit = human_size(service.settings.max_upload)
    alert = f'<p class="error" role="alert" id="feil">{esc(error)}</p>' if error else ""
    # the error is the file's: the input says so, and names the error as its description
    described, invalid = ("feil fil-hjelp", ' aria-invalid="true"') if error else ("fil-hjelp", "")
    kept = (t(lang, "Filen lagres sammen med rapporten i historikken.",
              "The file is stored with the report in the history.") if service.settings.keep_documents else
            t(lang, "Filen brukes bare til revisjonen og lagres ikke; rapporten lagres i historikken.",
              "The file is only used for the audit and is not kept; the report is stored in the history."))
    body = f"""<h1>{esc(t(lang, "Revider en handlingsplan", "Audit an action plan"))}</h1>
<p>{esc(t(lang, "Last opp en boligsosial handlingsplan og få en rapport etter de tolv kriteriene: nivå, poeng og "
             "funn med side og sitat.", "Upload a housing action plan and get a report on the twelve criteria: "
             "levels, scores and findings with page and quote."))}</p>
{alert}<form class="upload" method="post" action="/revisjoner" enctype="multipart/form-data"
 data-busy="{esc(t(lang, "Reviderer planen …", "Auditing the plan …"))}">
<div class="field drop-zone" id="slipp" data-chosen="{esc(t(lang, "Valgt fil:", "Chosen file:"))}">
<label for="fil">{esc(t(lang, "Planfil", "Plan file"))}</label>
<p class="hint" id="fil-hjelp">{esc(t(lang, f"PDF, Word (DOCX), OpenDocument (ODT), HTML, Markdown eller strukturert plan "
                                              f"(JSON/YAML); høyst {limit}.",
                                              f"PDF, Word (DOCX), OpenDocument (ODT), HTML, Markdown or a structured plan "
                                              f"(JSON/YAML); at most {limit}."))}</p>
<p class="hint drop-hint" hidden>{esc(t(lang, "Du kan også dra filen hit.", "You can also drop the file here."))}</p>
<input type="file" name="fil" id="fil" required accept="{_ACCEPT}" aria-describedby="{described}"{invalid}>
<p class="chosen" id="valgt-fil" aria-live="polite"></p>
</div>
<div class="field">
<label for="profil">{esc(t(lang, "Profil", "Profile"))}</label>
<p class="hint" id="profil-hjelp">{esc(t(lang, "Hvor mye hvert kriterium veier, og hva som kreves for å bestå.",
                                          "How much each criterion weighs, and what it takes to pass."))}</p>
<select name="profil" id="profil" aria-describedby="profil-hjelp">{options}</select>
</div>
<input type="hidden" name="lang" value="{esc(lang)}">
<button type="submit">{esc(t(lang, "Revider planen", "Audit the plan"))}</button>
</form>
<p class="muted">{esc(kept)}</p>"""
    return _shell(t(lang, "Revider en handlingsplan – planaudit", "Audit an action plan – planaudit"), body, lang)


@router.get("/", response_class=HTMLResponse)
async def upload(request: Request) -> HTMLResponse:
    service = _service(request)
    return HTMLResponse(upload_page(service, _lang(request, service.settings.lang)))


@router.post("/revisjoner", response_class=HTMLResponse)
async def submit(request: Request) -> Response:
    service = _service(request)
    lang = _lang(request, service.settings.lang)
    profile = None
    try:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "multipart/form-data":
            raise ApiError("missing_file", field="fil")
        service.refuse_if_full()
        form = await read_multipart(request, "fil")
        lang = form.fields.get("lang") if form.fields.get("lang") in ("nb", "en") else lang
        profile = form.fields.get("profil") or None
        if form.data is None:
            raise ApiError("missing_file", field="fil")
        audit_id, _ = await service.audit(form.data, form.filename, profile=profile, lang=lang, source="web")
    except ApiError as err:
        return HTMLResponse(upload_page(service, lang, err.message(lang), profile), status_code=err.status,
                            headers=err.headers)
    return RedirectResponse(_with_lang(f"/revisjoner/{audit_id}", lang), status_code=303)


# --- the report page and its downloads ----------------------------------------------------------


def _inner(html: str, start: str, end: str) -> str:
    """The part of a whole page between two markers (the report's ``<main>``, its footer)."""
    _, found, rest = html.partition(start)
    return rest.partition(end)[0] if found else ""


def _printable(ext: str, lang: str) -> str:
    """The HTML download is the one to print: say so, for a reader looking for a PDF."""
    return f' <span class="hint">{esc(t(lang, "(skriv den ut som PDF fra nettleseren)", "(print it to PDF from the browser)"))}</span>' \
        if ext == "html" else ""


def _downloads(audit_id: str, lang: str) -> str:
    # in the page's language: the printable HTML and SARIF carry the report's words
    links = "".join(f'<li><a href="{esc(_with_lang(f"/revisjoner/{audit_id}/rapport.{ext}", lang))}" download>'
                    f'{esc(t(lang, "Last ned", "Download"))} {label}</a>{_printable(ext, lang)}</li>'
                    for ext, label, _ in _DOWNLOADS)
    return (f'<nav class="downloads" aria-label="{esc(t(lang, "Last ned rapporten", "Download the report"))}">'
            f"<ul>{links}</ul></nav>")


async def _stored(request: Request, audit_id: str) -> tuple[Service, Any, Any]:
    service = _service(request)
    assert service.store is not None
    record = await service.call_store(service.store.get, audit_id)
    report = await service.call_store(service.store.report, audit_id) if record is not None else None
    if record is None or report is None:
        raise ApiError("not_found", what=request.url.path)
    return service, record, report


@router.get("/revisjoner/{audit_id}", response_class=HTMLResponse)
async def report_page(request: Request, audit_id: str) -> HTMLResponse:
    service, record, report = await _stored(request, audit_id)
    lang = _lang(request, service.settings.lang)
    html = service.render(report, "html", lang)
    content = _inner(html, "<main>\n", "\n</main>") or html
    footer = _inner(html, '<footer class="page-footer">\n', "\n</footer>")
    # the reporter escaped its title once; page() escapes it again
    title = _inner(html, "<title>", "</title>") or "planaudit"
    body = _downloads(audit_id, lang) + "\n" + content
    return HTMLResponse(page(html_lib.unescape(title), _nav(lang, f"/revisjoner/{audit_id}") + "\n" + body, lang,
                             footer=footer or _footer(lang),
                             head=_HEAD))


@router.get("/revisjoner/{audit_id}/rapport.{ext}")
async def download(request: Request, audit_id: str, ext: str) -> Response:
    formats = {name: media for name, _, media in _DOWNLOADS}
    if ext not in formats:
        raise ApiError("not_found", what=request.url.path)
    service, record, report = await _stored(request, audit_id)
    lang = _lang(request, service.settings.lang)
    stem = record.document_name.rsplit(".", 1)[0] or "plan"
    ascii_name = (_UNSAFE_NAME.sub("_", stem).strip("._") or "plan") + f"-planaudit.{ext}"
    utf8_name = quote(f"{stem}-planaudit.{ext}")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{utf8_name}"
    return Response(service.render(report, ext, lang), media_type=formats[ext],
                    headers={"Content-Disposition": disposition})


# --- the history -----------------------------------------------------------------------------------


def _date(record: Any) -> str:
    return record.created.strftime("%Y-%m-%d %H:%M")


def _passed(passed: bool | None, lang: str) -> str:
    return "–" if passed is None else t(lang, "ja", "yes") if passed else t(lang, "nei", "no")


def _th(text: str, numeric: bool) -> str:
    css = ' class="num"' if numeric else ""
    return f'<th scope="col"{css}>{esc(text)}</th>'


def _audits_table(records: list[Any], lang: str, caption: str) -> str:
    head = [t(lang, "Dato (UTC)", "Date (UTC)"), t(lang, "Kommune", "Municipality"), t(lang, "Plan", "Plan"),
            t(lang, "Profil", "Profile"), t(lang, "Poeng", "Score"), t(lang, "Bestått", "Passed")]
    header = "".join(_th(h, i == 4) for i, h in enumerate(head))
    rows = []
    for record in records:
        link = _with_lang(f"/revisjoner/{record.id}", lang)
        rows.append(f'<tr><td>{esc(_date(record))}</td><td>{esc(record.municipality or "–")}</td>'
                    f'<td><a href="{esc(link)}">{esc(record.title or record.document_name)}</a></td>'
                    f'<td>{esc(record.profile)}</td><td class="num">{record.score}</td>'
                    f"<td>{esc(_passed(record.passed, lang))}</td></tr>")
    return (f'<table class="history"><caption>{esc(caption)}</caption><thead><tr>{header}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def _trend_table(records: list[Any], lang: str, municipality: str) -> str:
    head = [t(lang, "Dato (UTC)", "Date (UTC)"), t(lang, "Plan", "Plan"), t(lang, "Profil", "Profile"),
            t(lang, "Poeng", "Score"), t(lang, "Endring", "Change")]
    header = "".join(_th(h, i >= 3) for i, h in enumerate(head))
    rows = []
    for record, change in zip(records, score_changes(records)):
        link = _with_lang(f"/revisjoner/{record.id}", lang)
        rows.append(f'<tr><td>{esc(_date(record))}</td><td><a href="{esc(link)}">'
                    f"{esc(record.title or record.document_name)}</a></td><td>{esc(record.profile)}</td>"
                    f'<td class="num">{record.score}</td>'
                    f'<td class="num">{esc("–" if change is None else f"{change:+d}")}</td></tr>')
    caption = t(lang, f"Poeng over tid for {municipality} (eldste først)",
                f"Score over time for {municipality} (oldest first)")
    return (f'<table class="trend"><caption>{esc(caption)}</caption><thead><tr>{header}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>{_trend_total(records, lang)}')


def _trend_total(records: list[Any], lang: str) -> str:
    """The change from the first to the last audit, per profile when the profile changed:
    scores by different profiles are not compared."""
    series = profile_series(records)
    if len(series) == 1:
        change = series[0].change
        if change is None:
            return ""
        words = t(lang, f"Endring fra første til siste revisjon: {change:+d} poeng.",
                  f"Change from the first to the last audit: {change:+d} points.")
        return f"<p>{esc(words)}</p>"
    lines = [t(lang, "Profilen er byttet underveis: endringen regnes bare mellom revisjoner med samme profil, "
                     "siden poeng etter ulike profiler ikke kan sammenlignes.",
               "The profile changed along the way: a change is only computed between audits with the same "
               "profile, since scores by different profiles cannot be compared.")]
    for one in series:
        count = len(one.scores)
        lines.append(t(lang, f"Profilen {one.profile}: bare én revisjon.", f"Profile {one.profile}: only one audit.")
                     if one.change is None else
                     t(lang, f"Profilen {one.profile}: {one.change:+d} poeng fra første til siste revisjon "
                             f"({count} revisjoner).",
                       f"Profile {one.profile}: {one.change:+d} points from the first to the last audit "
                       f"({count} audits)."))
    return "".join(f"<p>{esc(line)}</p>" for line in lines)


@router.get("/historikk", response_class=HTMLResponse)
async def history(request: Request, kommune: str | None = Query(None)) -> HTMLResponse:
    service = _service(request)
    assert service.store is not None
    lang = _lang(request, service.settings.lang)
    kommune = (kommune or "").strip() or None
    places = await service.call_store(service.store.municipalities)
    records = await service.call_store(service.store.list, municipality=kommune, limit=100)
    parts = [f'<h1>{esc(t(lang, "Historikk", "History"))}</h1>',
             f'<form class="filter" method="get" action="/historikk"><div class="field">'
             f'<label for="kommune">{esc(t(lang, "Kommune", "Municipality"))}</label>'
             f'<input type="text" name="kommune" id="kommune" value="{esc(kommune or "")}" autocomplete="off">'
             f'</div><input type="hidden" name="lang" value="{esc(lang)}">'
             f'<button type="submit">{esc(t(lang, "Vis", "Show"))}</button></form>']
    if places:
        links = "".join(f'<li><a href="{esc(_with_lang("/historikk", lang, kommune=name))}">{esc(name)}</a> '
                        f'<span class="muted">({count})</span></li>' for name, count in places)
        parts.append(f'<nav class="places" aria-label="{esc(t(lang, "Kommuner", "Municipalities"))}">'
                     f"<ul>{links}</ul></nav>")
    if kommune:
        trend = await service.call_store(service.store.trend, kommune)
        parts.append(f"<h2>{esc(t(lang, 'Utvikling', 'Trend'))}: {esc(kommune)}</h2>")
        parts.append(_trend_table(trend, lang, kommune) if trend else
                     f'<p>{esc(t(lang, "Ingen revisjoner av denne kommunen ennå.", "No audits of this municipality yet."))}</p>')
    if records:
        caption = t(lang, "Siste revisjoner (nyeste først)", "Latest audits (newest first)")
        parts.append(f"<h2>{esc(t(lang, 'Revisjoner', 'Audits'))}</h2>" + _audits_table(records, lang, caption))
    elif not kommune:
        parts.append(f'<p>{esc(t(lang, "Ingen revisjoner ennå.", "No audits yet."))} '
                     f'<a href="{esc(_with_lang("/", lang))}">{esc(t(lang, "Revider en plan", "Audit a plan"))}</a></p>')
    kept = {"kommune": kommune} if kommune else {}
    return HTMLResponse(_shell(t(lang, "Historikk – planaudit", "History – planaudit"), "\n".join(parts), lang,
                               here="/historikk", **kept))


def error_page(err: ApiError, lang: str) -> str:
    """A page for an error outside the upload form (an unknown report, a wrong address)."""
    body = (f'<h1>{esc(t(lang, "Noe gikk galt", "Something went wrong"))}</h1>'
            f'<p class="error" role="alert">{esc(err.message(lang))}</p>'
            f'<p><a href="{esc(_with_lang("/", lang))}">{esc(t(lang, "Til opplastingssiden", "To the upload page"))}</a></p>')
    return _shell(t(lang, "Feil – planaudit", "Error – planaudit"), body, lang)
