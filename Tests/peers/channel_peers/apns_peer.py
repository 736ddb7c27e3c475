"""An HTTP/2-only imitation of Apple's provider API that checks every header and the JWT."""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field

import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from .asgi_server import BackgroundHTTPSServer, header_map, lifespan, read_body, respond
from .tls import LocalCA


@dataclass
class APNsRequest:
    token: str
    headers: dict[str, str]
    payload: dict
    jwt: str
    http_version: str
    body: bytes


@dataclass
class APNsPeer:
    """Generates its own .p8 key (``key_p8_pem``) and answers per device token.

    ``respond(token, status, reason)`` sets a lasting answer; ``respond_once`` answers the next
    request only. Unlisted tokens get 200. ``alpn`` other than h2 imitates a broken gateway.
    """

    ca: LocalCA
    team_id: str = "TEAM123456"
    key_id: str = "KEY1234567"
    topic: str = "com.entativa.app"
    alpn: tuple[str, ...] = ("h2",)
    received: list[APNsRequest] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._answers: dict[str, tuple[int, str | None]] = {}
        self._once: dict[str, list[tuple[int, str | None]]] = {}
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.key_p8_pem = self.private_key.private_bytes(
            Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()
        ).decode()
        self._server = BackgroundHTTPSServer(self._app, self.ca, alpn=self.alpn)

    @property
    def base_url(self) -> str:
        return self._server.origin

    def start(self) -> int:
        return self._server.start()

    def stop(self) -> None:
        self._server.stop()

    def respond(self, token: str, status: int, reason: str | None = None) -> None:
        with self._lock:
            self._answers[token] = (status, reason)

    def respond_once(self, token: str, status: int, reason: str | None = None) -> None:
        with self._lock:
            self._once.setdefault(token, []).append((status, reason))

    def _fail(self, problem: str) -> None:
        with self._lock:
            self.failures.append(problem)

    async def _app(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            return await lifespan(receive, send)
        body = await read_body(receive)
        headers = header_map(scope)
        match = re.fullmatch(r"/3/device/([0-9a-f]+)", scope["path"])
        try:
            if scope.get("http_version") != "2":
                raise ValueError(f"HTTP/{scope.get('http_version')} instead of HTTP/2")
            if scope["method"] != "POST" or not match:
                raise ValueError(f"unexpected {scope['method']} {scope['path']}")
            token = self._check_jwt(headers)
            payload = self._check_request(headers, body)
        except Exception as error:  # recorded, answered like APNs answers a malformed request
            self._fail(f"{type(error).__name__}: {error}")
            return await respond(send, 400, {"reason": "BadRequest(peer)"})
        device = match.group(1)
        with self._lock:
            self.received.append(APNsRequest(device, headers, payload, token, scope["http_version"], body))
            queued = self._once.get(device)
            status, reason = queued.pop(0) if queued else self._answers.get(device, (200, None))
        answer: dict = {"reason": reason} if reason else {}
        if status == 410:
            answer["timestamp"] = int(time.time() * 1000)
        await respond(send, status, answer or b"", headers={"apns-id": headers.get("apns-id", "")})

    def _check_jwt(self, headers: dict[str, str]) -> str:
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme != "bearer" or not token:
            raise ValueError(f"authorization {headers.get('authorization')!r}")
        header = jwt.get_unverified_header(token)
        if header.get("alg") != "ES256" or header.get("kid") != self.key_id:
            raise ValueError(f"JWT header {header}")
        claims = jwt.decode(
            token, self.private_key.public_key(), algorithms=["ES256"],
            options={"require": ["iss", "iat"], "verify_iat": False},
        )
        if claims["iss"] != self.team_id:
            raise ValueError(f"iss {claims['iss']!r}")
        if not time.time() - 3600 <= claims["iat"] <= time.time() + 60:
            raise ValueError(f"iat {claims['iat']} is stale or in the future")
        return token

    def _check_request(self, headers: dict[str, str], body: bytes) -> dict:
        if headers.get("apns-topic") != self.topic:
            raise ValueError(f"apns-topic {headers.get('apns-topic')!r}")
        push_type = headers.get("apns-push-type")
        expected_priority = {"alert": "10", "background": "5"}.get(push_type or "")
        if expected_priority is None or headers.get("apns-priority") != expected_priority:
            raise ValueError(f"apns-push-type {push_type!r} with apns-priority {headers.get('apns-priority')!r}")
        if not headers.get("apns-expiration", "").isdigit():
            raise ValueError(f"apns-expiration {headers.get('apns-expiration')!r}")
        apns_id = headers.get("apns-id", "")
        if str(uuid.UUID(apns_id)) != apns_id.lower():
            raise ValueError(f"apns-id {apns_id!r}")
        if len(headers.get("apns-collapse-id", "").encode()) > 64:
            raise ValueError("apns-collapse-id over 64 bytes")
        if len(body) > 4096:
            raise ValueError(f"payload of {len(body)} bytes")
        payload = json.loads(body)
        aps = payload.get("aps")
        if not isinstance(aps, dict):
            raise ValueError("no aps dictionary")
        if push_type == "alert":
            alert = aps.get("alert", {})
            if not isinstance(alert.get("title"), str) or not isinstance(alert.get("body"), str):
                raise ValueError(f"alert {alert!r}")
        elif aps != {"content-available": 1}:
            raise ValueError(f"background aps {aps!r}")
        return payload
