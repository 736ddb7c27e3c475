"""A throwaway certificate authority for the peers' TLS endpoints."""

from __future__ import annotations

import ssl
import tempfile
from pathlib import Path

import trustme


class LocalCA:
    """A CA plus one server certificate for 127.0.0.1 and localhost, written to a temp dir.

    ``ca_file`` is what the sender under test gets as ``trustedCAFile``.
    """

    def __init__(self, hostnames: tuple[str, ...] = ("127.0.0.1", "localhost")) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="entativa-peer-ca-")
        root = Path(self._dir.name)
        self.ca = trustme.CA()
        self.cert = self.ca.issue_cert(*hostnames)
        self.ca_file = str(root / "ca.pem")
        self.cert_file = str(root / "server-chain.pem")
        self.key_file = str(root / "server-key.pem")
        self.ca.cert_pem.write_to_path(self.ca_file)
        Path(self.cert_file).write_bytes(b"".join(pem.bytes() for pem in self.cert.cert_chain_pems))
        self.cert.private_key_pem.write_to_path(self.key_file)

    def server_context(self, alpn: list[str] | None = None) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.cert.configure_cert(context)
        if alpn:
            context.set_alpn_protocols(alpn)
        return context

    def cleanup(self) -> None:
        self._dir.cleanup()
