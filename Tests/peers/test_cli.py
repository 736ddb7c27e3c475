"""The command line as an operator uses it, against the same database as a running server."""
import json
import os
import subprocess

import requests

from conftest import BIN


def test_version():
    result = subprocess.run([BIN, "--version"], capture_output=True, text=True, check=True)
    assert result.stdout.strip().count(".") == 2


def test_migrate_create_admin_and_suspend_over_http(make_server):
    server = make_server()
    assert "Migrations applied" in server.cli("migrate")
    out = server.cli("admin", "create-user", "--username", "operator", "--email", "ops@example.com", "--role", "admin")
    password = [line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("Password: ")][0]
    server.start()
    admin = requests.post(server.url("/api/v1/auth/login"), json={"login": "operator", "password": password}).json()
    assert admin["account"]["role"] == "admin"
    user = server.register("cli_target")
    suspended = requests.post(server.url(f"/api/v1/admin/accounts/{user['account']['id']}/suspend"),
                              headers={"Authorization": f"Bearer {admin['access_token']}"}, json={"reason": "test"})
    assert suspended.status_code == 200, suspended.text
    assert requests.get(server.url("/api/v1/accounts/me"),
                        headers={"Authorization": f"Bearer {user['access_token']}"}).status_code == 401


def test_json_logs_carry_request_ids(make_server):
    server = make_server(ENTATIVA_LOG_FORMAT="json").start()
    response = requests.get(server.url("/health/live"), headers={"X-Request-ID": "trace-me-42"})
    assert response.headers["X-Request-ID"] == "trace-me-42"
    server.stop()
    lines = [json.loads(line) for line in open(server.log_path) if line.startswith("{")]
    assert lines, "no JSON log lines"
    assert any(line.get("request_id") == "trace-me-42" for line in lines)


def test_vignette_platform_flag(make_server):
    server = make_server(ENTATIVA_PLATFORM="vignette").start()
    assert requests.get(server.url("/api/v1/instance")).json()["platform"] == "vignette"


def test_media_reprocess_from_the_command_line(make_server, tmp_path):
    server = make_server(ENTATIVA_JOB_WORKERS=0).start()
    token = server.register("reprocessed")["access_token"]
    image = tmp_path / "card.png"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=1", "-frames:v", "1", str(image)], check=True)
    with open(image, "rb") as handle:
        media = requests.post(server.url("/api/v1/media"), headers={"Authorization": f"Bearer {token}"},
                              files={"file": ("card.png", handle, "image/png")}).json()
    assert media["state"] == "pending"
    out = server.cli("admin", "media", "reprocess", media["id"])
    assert f"{media['id']}: ready" in out
    assert "100%" in out
    assert requests.get(server.url(f"/api/v1/media/{media['id']}")).json()["state"] == "ready"


def test_half_configured_s3_stops_the_server(tmp_path):
    # No database is opened before the settings are read, so one engine is enough.
    base = {k: v for k, v in os.environ.items() if not k.startswith("S3_")}
    base["ENTATIVA_DATA_DIR"] = str(tmp_path)
    for extra, expected in [
        ({"S3_BUCKET": "media"}, "also set S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY"),
        ({"S3_BUCKET": "media", "S3_ACCESS_KEY_ID": "id", "S3_SECRET_ACCESS_KEY": "secret", "S3_ENDPOINT": "minio:9000"},
         "S3_ENDPOINT=minio:9000 is not an http(s) URL"),
    ]:
        result = subprocess.run([BIN, "serve", "--port", "0"], env={**base, **extra}, capture_output=True, text=True, timeout=60)
        assert result.returncode != 0
        assert expected in result.stdout + result.stderr
    assert not (tmp_path / "blobs").exists()
