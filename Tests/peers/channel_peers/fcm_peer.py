"""An imitation of Google's OAuth2 token endpoint and FCM HTTP v1 `messages:send`."""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from .asgi_server import BackgroundHTTPSServer, header_map, lifespan, read_body, respond
from .tls import LocalCA

SCOPE = "https://www.googleapis.com/auth/firebase.messaging"
GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
FCM_ERROR = "type.googleapis.com/google.firebase.fcm.v1.FcmError"


def google_error(code: int, status: str, message: str, error_code: str | None = None, field_name: str | None = None) -> dict:
    details: list[dict] = []
    if error_code:
        details.append({"@type": FCM_ERROR, "errorCode": error_code})
    if field_name:
        details.append({"@type": "type.googleapis.com/google.rpc.BadRequest",
                        "fieldViolations": [{"field": field_name, "description": message}]})
    return {"error": {"code": code, "message": message, "status": status, "details": details}}


UNREGISTERED = (404, google_error(404, "NOT_FOUND", "Requested entity was not found.", "UNREGISTERED"))
INVALID_TOKEN = (400, google_error(400, "INVALID_ARGUMENT", "The registration token is not a valid FCM registration token",
                                   "INVALID_ARGUMENT", "message.token"))
INVALID_DATA = (400, google_error(400, "INVALID_ARGUMENT", "Invalid data payload key", "INVALID_ARGUMENT", "message.data"))
UNAVAILABLE = (503, google_error(503, "UNAVAILABLE", "The service is currently unavailable.", "UNAVAILABLE"))


@dataclass
class FCMPeer:
    """Serves ``/token`` and ``/v1/projects/{project}/messages:send`` on one HTTPS origin.

    ``service_account_json`` (after ``start``) points ``token_uri`` at this peer.
    ``respond(token, status, body, headers)`` sets the answer for a registration token
    (see UNREGISTERED, INVALID_TOKEN …); ``revoke_access_tokens()`` makes every issued token 401,
    now or (``on_next_send=True``) just before the next send is checked.
    """

    ca: LocalCA
    project_id: str = "entativa-test"
    client_email: str = "push@entativa-test.iam.gserviceaccount.com"
    private_key_id: str = "0123456789abcdef"
    token_requests: list[dict] = field(default_factory=list)
    received: list[dict] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._issued: set[str] = set()
        self._revoke_on_next_send = False
        self.unauthorized: list[str] = []
        self._answers: dict[str, tuple[int, dict, dict[str, str]]] = {}
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._server = BackgroundHTTPSServer(self._app, self.ca)

    @property
    def base_url(self) -> str:
        return self._server.origin

    @property
    def token_uri(self) -> str:
        return f"{self.base_url}/token"

    @property
    def service_account_json(self) -> str:
        pem = self.private_key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode()
        return json.dumps({
            "type": "service_account", "project_id": self.project_id, "private_key_id": self.private_key_id,
            "private_key": pem, "client_email": self.client_email, "client_id": "1",
            "token_uri": self.token_uri,
        })

    def start(self) -> int:
        return self._server.start()

    def stop(self) -> None:
        self._server.stop()

    def respond(self, token: str, status: int, body: dict, headers: dict[str, str] | None = None) -> None:
        with self._lock:
            self._answers[token] = (status, body, headers or {})

    def revoke_access_tokens(self, on_next_send: bool = False) -> None:
        with self._lock:
            if on_next_send:
                self._revoke_on_next_send = True
            else:
                self._issued.clear()

    def _fail(self, problem: str) -> None:
        with self._lock:
            self.failures.append(problem)

    async def _app(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            return await lifespan(receive, send)
        body = await read_body(receive)
        headers = header_map(scope)
        if scope["method"] == "POST" and scope["path"] == "/token":
            return await self._token(headers, body, send)
        match = re.fullmatch(r"/v1/projects/([^/]+)/messages:send", scope["path"])
        if scope["method"] == "POST" and match:
            return await self._send(match.group(1), headers, body, send)
        self._fail(f"unexpected {scope['method']} {scope['path']}")
        await respond(send, 404, google_error(404, "NOT_FOUND", "no such route"))

    async def _token(self, headers: dict[str, str], body: bytes, send) -> None:
        try:
            if headers.get("content-type", "").split(";")[0] != "application/x-www-form-urlencoded":
                raise ValueError(f"content-type {headers.get('content-type')!r}")
            form = {k: v[0] for k, v in parse_qs(body.decode(), strict_parsing=True).items()}
            if form.get("grant_type") != GRANT:
                raise ValueError(f"grant_type {form.get('grant_type')!r}")
            assertion = form.get("assertion", "")
            header = jwt.get_unverified_header(assertion)
            if header.get("alg") != "RS256" or header.get("kid") not in (None, self.private_key_id):
                raise ValueError(f"assertion header {header}")
            claims = jwt.decode(
                assertion, self.private_key.public_key(), algorithms=["RS256"], audience=self.token_uri,
                issuer=self.client_email, options={"require": ["iss", "aud", "iat", "exp", "scope"]},
            )
            if claims["scope"] != SCOPE:
                raise ValueError(f"scope {claims['scope']!r}")
            if not 0 < claims["exp"] - claims["iat"] <= 3600:
                raise ValueError("assertion lifetime over an hour")
        except Exception as error:  # recorded, answered as Google answers a bad grant
            self._fail(f"token: {type(error).__name__}: {error}")
            return await respond(send, 400, {"error": "invalid_grant", "error_description": str(error)})
        with self._lock:
            access_token = f"ya29.peer-{len(self.token_requests) + 1}-{int(time.time())}"
            self._issued.add(access_token)
            self.token_requests.append({"claims": claims, "access_token": access_token})
        await respond(send, 200, {"access_token": access_token, "expires_in": 3599, "token_type": "Bearer"})

    async def _send(self, project: str, headers: dict[str, str], body: bytes, send) -> None:
        scheme, _, access_token = headers.get("authorization", "").partition(" ")
        with self._lock:
            if self._revoke_on_next_send:
                self._revoke_on_next_send = False
                self._issued.clear()
            authorized = scheme == "Bearer" and access_token in self._issued
            if not authorized:
                self.unauthorized.append(access_token)
        if not authorized:
            return await respond(send, 401, google_error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials."))
        try:
            if project != self.project_id:
                raise ValueError(f"project {project!r}")
            if headers.get("content-type", "").split(";")[0] != "application/json":
                raise ValueError(f"content-type {headers.get('content-type')!r}")
            message = json.loads(body)["message"]
            _check_message(message)
        except Exception as error:  # recorded, answered as FCM answers a malformed message
            self._fail(f"send: {type(error).__name__}: {error}")
            return await respond(send, 400, google_error(400, "INVALID_ARGUMENT", str(error)))
        with self._lock:
            self.received.append({"message": message, "access_token": access_token, "headers": headers})
            status, answer, extra = self._answers.get(
                message["token"], (200, {"name": f"projects/{project}/messages/{len(self.received)}"}, {}))
        await respond(send, status, answer, headers=extra)


def _check_message(message: dict) -> None:
    if not isinstance(message.get("token"), str) or not message["token"]:
        raise ValueError("message.token missing")
    notification = message.get("notification")
    if notification is not None and not all(isinstance(notification.get(k), str) for k in ("title", "body")):
        raise ValueError(f"notification {notification!r}")
    data = message.get("data", {})
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise ValueError("data values must be strings")
    android = message.get("android", {})
    if android.get("priority") not in (None, "normal", "high"):
        raise ValueError(f"android.priority {android.get('priority')!r}")
    if "ttl" in android and not re.fullmatch(r"\d+(\.\d+)?s", android["ttl"]):
        raise ValueError(f"android.ttl {android['ttl']!r}")
