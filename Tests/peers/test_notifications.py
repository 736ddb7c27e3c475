"""Notifications and the realtime socket against clients and providers we did not write:
`websockets` for the socket, `http_ece` + PyJWT behind a Web Push endpoint, an HTTP/2 APNs
imitation and an FCM one (hypercorn, PyJWT), and `aiosmtpd` for mail over STARTTLS."""
import email
import email.policy
import json
import os
import time

import pytest
import requests
from websockets.sync.client import connect

from channel_peers.apns_peer import APNsPeer
from channel_peers.fcm_peer import FCMPeer
from channel_peers.smtp_peer import SMTPPeer
from channel_peers.tls import LocalCA
from channel_peers.webpush_peer import WebPushPeer
from conftest import PG_ADMIN, Server

PASSWORD = "a perfectly fine passphrase"


@pytest.fixture(scope="module")
def ca():
    authority = LocalCA()
    yield authority
    authority.cleanup()


def auth(tokens):
    return {"Authorization": "Bearer " + tokens["access_token"]}


def socket_url(server, tokens, last=None):
    url = server.base.replace("http://", "ws://") + "/api/v1/streaming?access_token=" + tokens["access_token"]
    return url + (f"&last_event_id={last}" if last else "")


def until(predicate, timeout=30, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def next_of_type(ws, kind, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        frame = json.loads(ws.recv(timeout=max(0.1, deadline - time.time())))
        if frame["type"] == kind:
            return frame
    raise AssertionError(f"no {kind} frame")


def test_socket_events_resume_and_ping(make_server):
    server = make_server(ENTATIVA_BCRYPT_COST=4).start()
    alice, bob = server.register("alice"), server.register("bob")
    with connect(socket_url(server, alice)) as ws:
        assert json.loads(ws.recv(timeout=10))["type"] == "ready"
        ws.send(json.dumps({"type": "ping", "payload": {"n": 7}}))
        assert next_of_type(ws, "pong")["payload"] == {"n": 7}
        requests.post(server.url(f"/api/v1/accounts/{alice['account']['id']}/follow"), headers=auth(bob)).raise_for_status()
        event = next_of_type(ws, "notification")
        assert event["payload"]["notification"]["type"] == "follow"
        assert event["payload"]["notification"]["actor"]["username"] == "bob"
        last = event["id"]
    carol = server.register("carol")
    requests.post(server.url(f"/api/v1/accounts/{alice['account']['id']}/follow"), headers=auth(carol)).raise_for_status()
    until(lambda: requests.get(server.url("/api/v1/notifications/unread_count"), headers=auth(alice)).json()["notifications"] == 2)
    with connect(socket_url(server, alice, last)) as ws:
        missed = json.loads(ws.recv(timeout=10))
        assert missed["type"] == "notification" and missed["payload"]["notification"]["actor"]["username"] == "carol"
        ready = json.loads(ws.recv(timeout=10))
        assert ready["type"] == "ready" and ready["payload"] == {"resumed": 1, "complete": True}


@pytest.mark.skipif(not PG_ADMIN, reason="needs PostgreSQL")
def test_two_instances_share_events_through_postgres(make_server, request):
    if request.node.callspec.params.get("make_server") != "postgres":
        pytest.skip("PostgreSQL only")
    first = make_server(ENTATIVA_BCRYPT_COST=4).start()
    second = Server(first.data_dir + "-b", first.database_url, {"ENTATIVA_BCRYPT_COST": "4", "ENTATIVA_INSTANCE_NUMBER": "1"})
    os.makedirs(second.data_dir, exist_ok=True)
    second.start()
    try:
        alice, bob = first.register("alice"), first.register("bob")
        with connect(socket_url(first, alice)) as ws:
            assert json.loads(ws.recv(timeout=10))["type"] == "ready"
            response = requests.post(second.url(f"/api/v1/accounts/{alice['account']['id']}/follow"), headers=auth(bob))
            assert response.status_code == 200
            event = next_of_type(ws, "notification", timeout=30)
            assert event["payload"]["notification"]["actor"]["username"] == "bob"
    finally:
        second.stop()


def test_web_push_is_encrypted_for_the_subscription(make_server, ca):
    peer = WebPushPeer(ca)
    peer.start()
    try:
        server = make_server(
            ENTATIVA_BCRYPT_COST=4, PUSH_CA_FILE=ca.ca_file, WEBPUSH_SUBJECT="mailto:ops@entativa.test", PUSH_ALLOW_PRIVATE_ENDPOINTS="true").start()
        peer.expected_vapid_key = requests.get(server.url("/api/v1/push/vapid_key")).json()["public_key"]
        alice, bob = server.register("alice"), server.register("bob")
        subscription = peer.new_subscription()
        response = requests.post(server.url("/api/v1/push/devices"), headers=auth(alice), json={
            "platform": "web", "token": subscription["endpoint"], "keys": subscription["keys"]})
        assert response.status_code == 201, response.text
        requests.post(server.url(f"/api/v1/accounts/{alice['account']['id']}/follow"), headers=auth(bob)).raise_for_status()
        delivery = until(lambda: peer.received, what="a web push")[0]
        body = json.loads(delivery.plaintext)
        assert body["body"] == "bob followed you" and body["data"]["type"] == "follow"
        assert delivery.claims["sub"] == "mailto:ops@entativa.test"
        assert peer.failures == []

        # A subscription the push service says is gone is removed.
        gone = peer.new_subscription(status=410)
        requests.post(server.url("/api/v1/push/devices"), headers=auth(alice), json={
            "platform": "web", "token": gone["endpoint"], "keys": gone["keys"]}).raise_for_status()
        carol = server.register("carol")
        requests.post(server.url(f"/api/v1/accounts/{alice['account']['id']}/follow"), headers=auth(carol)).raise_for_status()
        until(lambda: len(requests.get(server.url("/api/v1/push/devices"), headers=auth(alice)).json()["items"]) == 1, what="the dead subscription removed")
    finally:
        peer.stop()


def test_apns_and_fcm_get_the_documented_requests(make_server, ca, tmp_path):
    apns, fcm = APNsPeer(ca), FCMPeer(ca)
    apns.start()
    fcm.start()
    try:
        key = tmp_path / "AuthKey.p8"
        key.write_text(apns.key_p8_pem)
        account = tmp_path / "service-account.json"
        account.write_text(fcm.service_account_json)
        server = make_server(
            ENTATIVA_BCRYPT_COST=4, PUSH_CA_FILE=ca.ca_file, APNS_KEY_PATH=str(key), APNS_KEY_ID=apns.key_id, APNS_TEAM_ID=apns.team_id,
            APNS_BASE_URL=apns.base_url, FCM_SERVICE_ACCOUNT=str(account), FCM_BASE_URL=fcm.base_url).start()
        alice, bob = server.register("alice"), server.register("bob")
        phone, dead_phone, android = "ab" * 32, "cd" * 32, "fcm-token-1"
        apns.respond(dead_phone, 410, "Unregistered")
        for device in [{"platform": "apns", "token": phone, "app_id": apns.topic}, {"platform": "apns", "token": dead_phone, "app_id": apns.topic},
                       {"platform": "fcm", "token": android, "app_id": "com.entativa.android"}]:
            response = requests.post(server.url("/api/v1/push/devices"), headers=auth(alice), json=device)
            assert response.status_code == 201, response.text
        requests.post(server.url(f"/api/v1/accounts/{alice['account']['id']}/follow"), headers=auth(bob)).raise_for_status()
        until(lambda: any(r.token == phone for r in apns.received) and fcm.received, what="APNs and FCM pushes")
        sent = next(r for r in apns.received if r.token == phone)
        assert sent.http_version == "2" and sent.payload["aps"]["alert"]["body"] == "bob followed you"
        message = fcm.received[0]["message"]
        assert message["token"] == android and message["notification"]["body"] == "bob followed you"
        assert apns.failures == [] and fcm.failures == []
        until(lambda: len(requests.get(server.url("/api/v1/push/devices"), headers=auth(alice)).json()["items"]) == 2, what="the dead token removed")
    finally:
        apns.stop()
        fcm.stop()


def test_mail_goes_over_smtp_with_starttls(make_server, ca):
    peer = SMTPPeer(ca=ca, mode="starttls", username="relay", password="relay-secret")
    port = peer.start()
    try:
        server = make_server(
            ENTATIVA_BCRYPT_COST=4, SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_FROM="noreply@entativa.test", SMTP_USERNAME="relay",
            SMTP_PASSWORD="relay-secret", SMTP_CA_FILE=ca.ca_file).start()
        server.register("alice")

        def mails(subject):
            parsed = [(m, email.message_from_bytes(m.data, policy=email.policy.default)) for m in peer.messages]
            return [(m, message) for m, message in parsed if subject in message["Subject"]]

        verification, _ = until(lambda: mails("Confirm your email"), what="the verification mail")[0]
        assert verification.tls and verification.rcpt_tos == ["alice@example.com"] and verification.auth_login == "relay"
        response = requests.post(server.url("/api/v1/auth/login"), json={"login": "alice", "password": PASSWORD, "device_name": "A new laptop"})
        assert response.status_code == 200
        _, message = until(lambda: mails("New sign-in"), what="the new-login mail")[0]
        parts = {part.get_content_type(): part.get_content() for part in message.walk() if not part.is_multipart()}
        assert "New sign-in to your account" in parts["text/plain"] and "<html" in parts["text/html"]
        assert peer.failures == []
    finally:
        peer.stop()
