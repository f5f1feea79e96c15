"""``planaudit serve``: an upload page and an HTTP API over the same ``audit()`` as the
command line, with each audit stored in the history.

``create_app(ServeSettings(...))`` gives the ASGI app (FastAPI); ``planaudit serve`` runs
it with uvicorn. Audits run in separate processes with a time and memory limit, so a
hostile file cannot take the server down.
"""
from ._app import create_app
from ._settings import ServeSettings

__all__ = ["ServeSettings", "create_app"]
