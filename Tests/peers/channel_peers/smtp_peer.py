"""An SMTP server (aiosmtpd) that records the mail it accepts and checks the transport rules."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

from .tls import LocalCA


@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    tls: bool
    auth_login: str | None
    helo: str | None


@dataclass
class SMTPPeer:
    """Accepts mail on 127.0.0.1.

    mode: "starttls" (offers and requires STARTTLS), "implicit" (TLS from the first byte)
    or "plain" (no TLS at all). With ``username`` set, AUTH is offered and required;
    ``auth_exclude`` hides mechanisms (e.g. ("PLAIN",) to force LOGIN). ``ehlo=False``
    imitates an old server that only knows HELO. ``rcpt_replies`` holds forced replies
    (e.g. "450 Mailbox busy") for the next RCPT commands.
    """

    ca: LocalCA | None = None
    mode: str = "starttls"
    username: str | None = None
    password: str | None = None
    auth_require_tls: bool = True
    auth_exclude: tuple[str, ...] = ()
    ehlo: bool = True
    messages: list[ReceivedMail] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    auth_mechanisms: list[str] = field(default_factory=list)
    rcpt_replies: list[str] = field(default_factory=list)
    port: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    def start(self) -> int:
        self.port = _free_port()
        kwargs: dict = {"hostname": "127.0.0.1", "port": self.port, "server_hostname": "peer.test"}
        if self.mode == "starttls":
            assert self.ca, "STARTTLS needs a CA"
            kwargs.update(tls_context=self.ca.server_context(), require_starttls=True)
        elif self.mode == "implicit":
            assert self.ca, "implicit TLS needs a CA"
            kwargs.update(ssl_context=self.ca.server_context())
        if self.username is not None:
            kwargs.update(
                authenticator=self._authenticate,
                auth_required=True,
                auth_require_tls=self.auth_require_tls,
                auth_exclude_mechanism=list(self.auth_exclude),
            )
        self._controller = _Controller(_Handler(self), ehlo=self.ehlo, **kwargs)
        self._controller.start()
        return self.port

    def stop(self) -> None:
        if self._controller:
            self._controller.stop()

    def _authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        with self._lock:
            self.auth_mechanisms.append(mechanism)
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == self.username
            and auth_data.password.decode() == self.password
        )
        return AuthResult(success=ok, handled=False, auth_data=auth_data.login.decode() if ok else None)

    def record(self, mail: ReceivedMail) -> None:
        problems = _transport_problems(mail, self.mode)
        with self._lock:
            self.messages.append(mail)
            self.failures.extend(problems)


class _HELOOnlySMTP(SMTP):
    async def smtp_EHLO(self, hostname: str):
        await self.push("502 5.5.1 EHLO not implemented")


class _Controller(Controller):
    def __init__(self, handler, *, ehlo: bool, **kwargs) -> None:
        self._ehlo = ehlo
        super().__init__(handler, **kwargs)

    def factory(self) -> SMTP:
        server_class = SMTP if self._ehlo else _HELOOnlySMTP
        return server_class(self.handler, **self.SMTP_kwargs)


class _Handler:
    def __init__(self, peer: SMTPPeer) -> None:
        self.peer = peer

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.peer._lock:
            forced = self.peer.rcpt_replies.pop(0) if self.peer.rcpt_replies else None
        if forced:
            return forced
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.peer.record(
            ReceivedMail(
                mail_from=envelope.mail_from,
                rcpt_tos=list(envelope.rcpt_tos),
                data=envelope.original_content or envelope.content,
                # session.ssl is set by STARTTLS; implicit TLS shows only on the transport.
                tls=session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None,
                auth_login=session.auth_data if session.authenticated else None,
                helo=session.host_name,
            )
        )
        return "250 Message accepted for delivery"


def _transport_problems(mail: ReceivedMail, mode: str) -> list[str]:
    problems = []
    if mode != "plain" and not mail.tls:
        problems.append("message arrived without TLS")
    if mail.data.count(b"\n") != mail.data.count(b"\r\n"):
        problems.append("bare LF in message data")
    if b"\r" in mail.data.replace(b"\r\n", b""):
        problems.append("bare CR in message data")
    if any(len(line) > 998 for line in mail.data.split(b"\r\n")):
        problems.append("line longer than 998 octets")
    if any(byte > 0x7F for byte in mail.data):
        problems.append("8-bit data without 8BITMIME")
    return problems


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
