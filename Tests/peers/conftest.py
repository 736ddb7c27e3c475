"""Starts real `entativa serve` processes for the peer tests, on SQLite and on PostgreSQL."""
import json
import os
import signal
import socket
import subprocess
import time
import uuid

import pytest
import requests

BIN = os.environ.get("ENTATIVA_BIN", os.path.join(os.path.dirname(__file__), "..", "..", ".build", "debug", "entativa"))
PG_ADMIN = os.environ.get("POSTGRES_ADMIN_URL")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """One server process; `restart` keeps its data directory and database."""

    def __init__(self, data_dir, database_url, env):
        self.data_dir = data_dir
        self.database_url = database_url
        self.extra_env = env
        self.port = free_port()
        self.process = None
        self.log_path = os.path.join(data_dir, "server.log")

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def url(self, path):
        return self.base + path

    def env(self, **overrides):
        env = dict(os.environ)
        env.update({"ENTATIVA_DATA_DIR": self.data_dir, "ENTATIVA_LOG_LEVEL": "info"})
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        env.update(self.extra_env)
        env.update(overrides)
        return env

    def start(self, **overrides):
        # Tests run in parallel (pytest-xdist): another worker may take the free port between
        # `free_port` and the server's bind, so a lost race is retried on a new port.
        for _ in range(5):
            if self._start(overrides):
                return self
            self.port = free_port()
        raise RuntimeError("no free port after 5 tries")

    def _start(self, overrides):
        log = open(self.log_path, "a")
        log_start = log.tell()
        self.process = subprocess.Popen(
            [BIN, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env(**overrides), stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                output = open(self.log_path).read()[log_start:]
                if "Address already in use" in output:
                    return False
                raise RuntimeError("server exited:\n" + output[-4000:])
            # Ours, not a server of another worker's that holds the port.
            if f"listening on 127.0.0.1:{self.port}" not in open(self.log_path).read()[log_start:]:
                time.sleep(0.1)
                continue
            try:
                if requests.get(self.url("/health/ready"), timeout=1).status_code == 200:
                    return True
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError("server did not become ready")

    def kill9(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill9()

    def cli(self, *args):
        result = subprocess.run([BIN, *args], env=self.env(), capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def jobs(self, state):
        out = self.cli("admin", "jobs", "list", "--state", state, "--limit", "1000", "--json")
        return [json.loads(line) for line in out.splitlines() if line.strip()]

    def register(self, username, password="a perfectly fine passphrase"):
        response = requests.post(self.url("/api/v1/auth/register"), json={
            "username": username, "email": f"{username}@example.com", "password": password})
        assert response.status_code == 201, response.text
        return response.json()


ENGINES = ["sqlite"] + (["postgres"] if PG_ADMIN else [])


@pytest.fixture(params=ENGINES)
def make_server(request, tmp_path):
    """A factory of servers on a fresh database of the parametrised engine."""
    servers = []
    databases = []

    def make(**env):
        database_url = None
        if request.param == "postgres":
            name = "peer_" + uuid.uuid4().hex[:12]
            subprocess.run(["psql", PG_ADMIN, "-q", "-c", f"CREATE DATABASE {name}"], check=True)
            databases.append(name)
            database_url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
        data_dir = tmp_path / f"server{len(servers)}"
        data_dir.mkdir()
        server = Server(str(data_dir), database_url, {k: str(v) for k, v in env.items()})
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()
    for name in databases:
        subprocess.run(["psql", PG_ADMIN, "-q", "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=False)
