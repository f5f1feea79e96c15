"""``planaudit serve``: the upload page and the HTTP API on this machine.

FastAPI and uvicorn are imported when the command runs, not when ``planaudit`` starts, so
``planaudit check`` stays as quick to start as before. The socket is bound here, before
uvicorn starts, so a port in use is one line and exit 2 rather than uvicorn's log. Ctrl-C
stops the server cleanly: running audits are ended, the database closed, exit 0.
"""
from __future__ import annotations

import ipaddress
import socket
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..errors import UsageError
from ._common import CONFIG, RULE_PACKS, STRICT, ByteSize, guarded, t

if TYPE_CHECKING:  # imported when the command runs, with the web framework
    from ..history import HistoryStore

__all__ = ["serve"]


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Adressen tjenesten lytter på. Tjenesten har ingen innlogging: bruk 127.0.0.1, eller en "
                   "mellomtjener (proxy) med innlogging foran.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Porten.")
@click.option("--workers", type=click.IntRange(1, 256), default=None,
              help="Antall revisjonsprosesser (standard: én per kjerne). Med --ocr deler prosessene "
                   "kjernene til OCR: færre prosesser gir hver revisjon flere kjerner.")
@click.option("--timeout", type=click.FloatRange(1, 3600), default=None,
              help="Sekunder én revisjon får bruke før prosessen stoppes (standard 60 sekunder; 300 sekunder med "
                   "OCR: Tesseract leser en skannet side på 0,5–1,5 sekunder på én kjerne, så en skannet plan på "
                   "60 sider tar 1–2 minutter, og sider skannet på tvers eller opp ned tar 2–3 ganger så lang tid).")
@click.option("--max-upload", type=ByteSize(), default="50MB", show_default=True,
              help="Største fil som kan lastes opp, f.eks. 50MB (1 MB = 1024 × 1024 byte).")
@click.option("--memory-limit", type=ByteSize(), default="2GB", show_default=True,
              help="Største minne (adresseområde) én revisjonsprosess får; en fil som krever mer, gir "
                   "audit_crashed i stedet for å ta minnet fra maskinen.")
@click.option("--max-waiting", type=click.IntRange(0, 10000), default=32, show_default=True,
              help="Revisjoner som kan vente på ledig prosess; flere gir svaret 503 server_busy.")
@click.option("--database", "database_url", default=None, metavar="URL",
              help="Historikkdatabasen, f.eks. postgresql://bruker@vert/planaudit (standard: "
                   "PLANAUDIT_DATABASE_URL, ellers SQLite i brukerens datamappe).")
@click.option("--keep-documents", is_flag=True, help="Lagre de opplastede filene i historikken (standard: bare rapporten).")
@click.option("--profile", "-p", default=None, help="Profilen siden velger og API-et bruker når ingen er gitt.")
@click.option("--ocr", is_flag=True,
              help="Les skannede PDF-er (sider uten brukbart tekstlag) som lastes opp, med OCR (Tesseract, norsk); "
                   "også med ocr = true i konfigurasjonen. Uten OCR får en skannet PDF feilen unreadable_document. "
                   "Krever pip install 'planaudit[ocr]' og apt-get install tesseract-ocr tesseract-ocr-nor.")
@CONFIG
@RULE_PACKS
@STRICT
@click.option("--lang", type=click.Choice(["nb", "en"]), default="nb", help="Språk: nb (standard) eller en.")
@guarded
def serve(host: str, port: int, workers: int | None, timeout: float | None, max_upload: int, memory_limit: int,
          max_waiting: int, database_url: str | None,
          keep_documents: bool, profile: str | None, ocr: bool, config_path: Path | None,
          rule_packs: tuple[Path, ...], strict: bool, lang: str) -> None:
    """Start nettsiden og HTTP-API-et: last opp en plan i nettleseren, eller bruk /api/v1/audits.

    Eksempel: planaudit serve, og åpne http://127.0.0.1:8000 i nettleseren. Med --ocr leses
    også skannede PDF-er.
    """
    from ..history import HistoryStore
    from ..web import ServeSettings, create_app

    settings = ServeSettings(host=host, port=port, timeout=timeout, max_upload=max_upload, memory_limit=memory_limit,
                             max_waiting=max_waiting, database_url=database_url,
                             keep_documents=keep_documents, config_path=config_path, strict=strict,
                             rule_packs=rule_packs, profile=profile, lang=lang, ocr=ocr)
    if workers:
        settings = replace(settings, workers=workers)
    # each of these stops the command with one line before anything listens: the settings,
    # then the database (opened here, not in the app, for that reason), then the port
    store = HistoryStore.open(database_url)
    try:
        app = create_app(settings, store=store)
        listener = _bind(host, port)
        try:
            _warn_if_open(host, lang)
            _run(app, listener, store, lang)
        finally:
            listener.close()
    finally:
        store.close()


def _warn_if_open(host: str, lang: str) -> None:
    if not _is_loopback(host):
        click.echo(t(lang, f"planaudit: advarsel: tjenesten lytter på {host} uten innlogging; alle som når "
                           "adressen kan laste opp planer og lese historikken",
                     f"planaudit: warning: the service listens on {host} without authentication; anyone who can "
                     "reach the address can upload plans and read the history"), err=True)


def _bind(host: str, port: int) -> socket.socket:
    """The listening socket; an address in use or not on this machine is one line, exit 2."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                             flags=socket.AI_PASSIVE)[0]
        listener = socket.socket(family, kind, proto)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(address)
        listener.listen(2048)
    except OSError as err:
        cause = err.strerror or str(err)
        raise UsageError(f"--host {host} --port {port}", f"kan ikke lytte på adressen ({cause})",
                         f"cannot listen on the address ({cause})") from None
    listener.set_inheritable(True)
    return listener


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url(listener: socket.socket) -> str:
    host, port = listener.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def _run(app: Any, listener: socket.socket, store: HistoryStore, lang: str) -> None:
    import uvicorn

    click.echo(t(lang, f"planaudit kjører på {_url(listener)} (Ctrl-C avslutter)",
                 f"planaudit is running on {_url(listener)} (Ctrl-C stops it)"))
    # the store's URL has any password masked
    click.echo(t(lang, f"Historikk: {store.url}", f"History: {store.url}"))
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on", server_header=False)
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[listener])
    except KeyboardInterrupt:
        pass  # uvicorn shut down cleanly, then raised the Ctrl-C again for us
