"""A push service endpoint (RFC 8030) that checks VAPID (RFC 8292) and decrypts (RFC 8291)."""

from __future__ import annotations

import base64
import os
import re
import threading
import time
from dataclasses import dataclass, field

import http_ece
import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from .asgi_server import BackgroundHTTPSServer, header_map, lifespan, read_body, respond
from .tls import LocalCA

TOPIC = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
VAPID = re.compile(r"^vapid\s+t=([^,\s]+)\s*,\s*k=([A-Za-z0-9_-]+)$")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class _Subscription:
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes
    status: int
    headers: dict[str, str]


@dataclass
class PushDelivery:
    subscription_id: str
    headers: dict[str, str]
    plaintext: bytes
    claims: dict
    vapid_token: str


@dataclass
class WebPushPeer:
    """Hands out subscriptions (browser-style keys) and accepts pushes for them.

    ``new_subscription(status=410)`` makes one whose pushes get that answer; with
    ``expected_vapid_key`` set, any other application server key is a failure.
    """

    ca: LocalCA
    expected_vapid_key: str | None = None
    received: list[PushDelivery] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._subscriptions: dict[str, _Subscription] = {}
        self._server = BackgroundHTTPSServer(self._app, self.ca)

    @property
    def origin(self) -> str:
        return self._server.origin

    def start(self) -> int:
        return self._server.start()

    def stop(self) -> None:
        self._server.stop()

    def new_subscription(self, status: int = 201, headers: dict[str, str] | None = None) -> dict:
        key = ec.generate_private_key(ec.SECP256R1())
        auth = os.urandom(16)
        sub_id = b64url(os.urandom(9))
        with self._lock:
            self._subscriptions[sub_id] = _Subscription(key, auth, status, headers or {})
        point = key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
        return {"endpoint": f"{self.origin}/push/{sub_id}", "keys": {"p256dh": b64url(point), "auth": b64url(auth)}}

    def _fail(self, problem: str) -> None:
        with self._lock:
            self.failures.append(problem)

    async def _app(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            return await lifespan(receive, send)
        body = await read_body(receive)
        match = re.fullmatch(r"/push/([A-Za-z0-9_-]+)", scope["path"])
        with self._lock:
            subscription = self._subscriptions.get(match.group(1)) if match else None
        if scope["method"] != "POST" or subscription is None:
            self._fail(f"unexpected {scope['method']} {scope['path']}")
            return await respond(send, 404)
        headers = header_map(scope)
        try:
            claims, token = self._check(headers, body)
            plaintext = http_ece.decrypt(
                body, private_key=subscription.private_key, auth_secret=subscription.auth, version="aes128gcm"
            )
        except Exception as error:  # every problem is a recorded failure and a 400
            self._fail(f"{type(error).__name__}: {error}")
            return await respond(send, 400, str(error).encode())
        with self._lock:
            self.received.append(PushDelivery(match.group(1), headers, plaintext, claims, token))
        await respond(send, subscription.status, headers=subscription.headers)

    def _check(self, headers: dict[str, str], body: bytes) -> tuple[dict, str]:
        if headers.get("content-encoding") != "aes128gcm":
            raise ValueError(f"Content-Encoding {headers.get('content-encoding')!r}")
        if headers.get("content-type") != "application/octet-stream":
            raise ValueError(f"Content-Type {headers.get('content-type')!r}")
        if not headers.get("ttl", "").isdigit():
            raise ValueError(f"TTL {headers.get('ttl')!r}")
        if headers.get("urgency", "normal") not in ("very-low", "low", "normal", "high"):
            raise ValueError(f"Urgency {headers.get('urgency')!r}")
        if "topic" in headers and not TOPIC.match(headers["topic"]):
            raise ValueError(f"Topic {headers['topic']!r}")
        if len(body) > 4096:
            raise ValueError(f"body of {len(body)} bytes")
        vapid = VAPID.match(headers.get("authorization", ""))
        if not vapid:
            raise ValueError(f"Authorization {headers.get('authorization')!r}")
        token, key_text = vapid.groups()
        if self.expected_vapid_key and key_text != self.expected_vapid_key:
            raise ValueError("k= is not the expected application server key")
        public_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key_text))
        claims = jwt.decode(
            token, public_key, algorithms=["ES256"], audience=self.origin,
            options={"require": ["aud", "exp", "sub"]},
        )
        if claims["exp"] > time.time() + 24 * 3600:
            raise ValueError("exp more than 24 hours ahead")
        if not str(claims["sub"]).startswith(("mailto:", "https:")):
            raise ValueError(f"sub {claims['sub']!r}")
        return claims, token
