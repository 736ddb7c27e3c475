"""Hypercorn in a background thread on a free loopback port, for the HTTPS peers."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from typing import Any, Awaitable, Callable

from hypercorn.asyncio import serve
from hypercorn.config import Config

from .tls import LocalCA

ASGIApp = Callable[[dict, Callable[[], Awaitable[dict]], Callable[[dict], Awaitable[None]]], Awaitable[None]]


class BackgroundHTTPSServer:
    """Serves an ASGI app over TLS; ``alpn`` decides which HTTP versions a client may get."""

    def __init__(self, app: ASGIApp, ca: LocalCA, alpn: tuple[str, ...] = ("h2", "http/1.1")) -> None:
        self.app = app
        self.ca = ca
        self.alpn = alpn
        self.port = 0
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def start(self) -> int:
        # Bind here so the port is known before the thread starts and cannot be taken meanwhile.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)
        self.port = sock.getsockname()[1]
        config = Config()
        config.bind = [f"fd://{sock.detach()}"]
        config.certfile = self.ca.cert_file
        config.keyfile = self.ca.key_file
        config.alpn_protocols = list(self.alpn)
        config.graceful_timeout = 1.0
        config.accesslog = None
        config.loglevel = "WARNING"
        self._thread = threading.Thread(target=self._run, args=(config,), daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("HTTPS peer did not start")
        if self._error:
            raise RuntimeError(f"HTTPS peer failed: {self._error}")
        return self.port

    def _run(self, config: Config) -> None:
        async def main() -> None:
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            self._ready.set()
            await serve(self.app, config, shutdown_trigger=self._stop.wait)

        try:
            asyncio.run(main())
        except BaseException as error:  # surfaced to start() or left for stop()
            self._error = error
            self._ready.set()

    def stop(self) -> None:
        if self._loop and self._stop:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread:
            self._thread.join(10)


async def read_body(receive: Callable[[], Awaitable[dict]], limit: int = 1 << 20) -> bytes:
    body = b""
    while True:
        event = await receive()
        if event["type"] != "http.request":
            return body
        body += event.get("body", b"")
        if len(body) > limit:
            raise ValueError("request body too large")
        if not event.get("more_body"):
            return body


async def respond(
    send: Callable[[dict], Awaitable[None]],
    status: int,
    body: Any = b"",
    headers: dict[str, str] | None = None,
) -> None:
    payload = body if isinstance(body, bytes) else json.dumps(body).encode()
    header_list = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    if payload and not isinstance(body, bytes):
        header_list.append((b"content-type", b"application/json"))
    header_list.append((b"content-length", str(len(payload)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": header_list})
    await send({"type": "http.response.body", "body": payload})


def header_map(scope: dict) -> dict[str, str]:
    """Request headers, lower-cased names; a repeated header is kept comma-joined."""
    headers: dict[str, str] = {}
    for name, value in scope.get("headers", []):
        key = name.decode("latin-1").lower()
        text = value.decode("latin-1")
        headers[key] = f"{headers[key]}, {text}" if key in headers else text
    return headers


async def lifespan(receive: Callable[[], Awaitable[dict]], send: Callable[[dict], Awaitable[None]]) -> None:
    while True:
        event = await receive()
        if event["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif event["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
