"""The upload size limit, enforced on the bytes as they arrive.

A pure ASGI middleware rather than a check in the endpoint: a ``Content-Length`` over the
limit is refused before a byte of the body is read, and a body sent without one (chunked
transfer) is counted as it streams in and cut off at the first chunk past the limit - so a
client cannot make the server buffer more than the limit by leaving the length out or
lying about it. The answer (JSON for the API, the upload page for the form) comes from the
app through ``refuse``.

Why not FastAPI's ``max_body_size``: it answers a declared ``Content-Length`` over the limit
with its own plain-text 413, replacing whatever the app answers, while the API promises
every error as JSON with a stable code and the upload page shows the cause in the form.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

__all__ = ["BodyTooLarge", "Refusal", "UploadLimit"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
#: status, headers and body of the answer to a body over the limit
Refusal = tuple[int, list[tuple[bytes, bytes]], bytes]


class BodyTooLarge(Exception):
    """Raised into the app by ``receive`` when the body passes the limit; the app's own
    answer to it is dropped and the middleware's refusal sent instead."""


class UploadLimit:
    """Refuse request bodies over ``limit`` bytes with the answer ``refuse(scope)`` gives."""

    def __init__(self, app: ASGIApp, *, limit: int, refuse: Callable[[Scope], Refusal]) -> None:
        self.app = app
        self.limit = limit
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _declared_length(scope) > self.limit:
            await self._send_refusal(scope, send)
            return
        state = {"received": 0, "exceeded": False, "started": False}

        async def counted_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > self.limit:
                    state["exceeded"] = True
                    raise BodyTooLarge()
            return message

        async def guarded_send(message: Message) -> None:
            if state["exceeded"]:
                return  # the app's answer to a body it could not finish reading
            if message["type"] == "http.response.start":
                state["started"] = True
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except Exception:
            if not state["exceeded"]:
                raise
            # whatever the app made of the cut-off body is replaced by the refusal below
        if state["exceeded"] and not state["started"]:
            await self._send_refusal(scope, send)

    async def _send_refusal(self, scope: Scope, send: Send) -> None:
        status, headers, body = self.refuse(scope)
        # the rest of the body is not read, so the connection cannot be reused
        headers = [*headers, (b"content-length", str(len(body)).encode()), (b"connection", b"close")]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _declared_length(scope: Scope) -> int:
    """The ``Content-Length`` the client declared; 0 when absent or not a number."""
    for key, value in scope.get("headers", ()):
        if key.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 0
    return 0
