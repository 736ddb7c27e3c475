"""Sign-in as a client we did not write would do it: TOTP codes come from pyotp (RFC 6238)."""
import time

import pyotp
import requests


def test_register_login_totp_refresh_and_reuse_detection(make_server):
    server = make_server().start()
    api = server.url

    registered = server.register("peer_alice")
    assert registered["account"]["username"] == "peer_alice"

    login = requests.post(api("/api/v1/auth/login"), json={"login": "PEER_ALICE", "password": "a perfectly fine passphrase"})
    assert login.status_code == 200, login.text
    tokens = login.json()
    auth = {"Authorization": f"Bearer {tokens['access_token']}"}

    enrollment = requests.post(api("/api/v1/auth/totp"), headers=auth)
    assert enrollment.status_code == 200, enrollment.text
    secret = enrollment.json()["secret"]
    parsed = pyotp.parse_uri(enrollment.json()["otpauth_uri"])
    assert parsed.secret == secret and parsed.digits == 6 and parsed.interval == 30
    totp = pyotp.TOTP(secret)

    confirmed = requests.post(api("/api/v1/auth/totp/confirm"), headers=auth, json={"code": totp.now()})
    assert confirmed.status_code == 200, confirmed.text
    recovery_codes = confirmed.json()["recovery_codes"]
    assert len(recovery_codes) == 10 and len(set(recovery_codes)) == 10

    challenge = requests.post(api("/api/v1/auth/login"), json={"login": "peer_alice", "password": "a perfectly fine passphrase"})
    assert challenge.status_code == 200
    assert challenge.json()["mfa_required"] is True
    mfa_token = challenge.json()["mfa_token"]

    # The confirming code's step is spent; the next step's code is inside the ±1 window.
    code = totp.at(time.time() + 30)
    second = requests.post(api("/api/v1/auth/login/mfa"), json={"mfa_token": mfa_token, "code": code})
    assert second.status_code == 200, second.text
    session = second.json()
    # The challenge completed one sign-in and is spent.
    replay = requests.post(api("/api/v1/auth/login/mfa"), json={"mfa_token": mfa_token, "code": code})
    assert replay.status_code == 401, "an MFA token completes one sign-in"
    # A fresh challenge with the same code: the code was accepted once already.
    again = requests.post(api("/api/v1/auth/login"), json={"login": "peer_alice", "password": "a perfectly fine passphrase"})
    assert again.status_code == 200 and again.json()["mfa_required"] is True
    reused = requests.post(api("/api/v1/auth/login/mfa"), json={"mfa_token": again.json()["mfa_token"], "code": code})
    assert reused.status_code == 422, "a TOTP code must be accepted once"

    # The MFA token is not an access token.
    assert requests.get(api("/api/v1/accounts/me"), headers={"Authorization": f"Bearer {mfa_token}"}).status_code == 401

    refreshed = requests.post(api("/api/v1/auth/refresh"), json={"refresh_token": session["refresh_token"]})
    assert refreshed.status_code == 200, refreshed.text
    rotated = refreshed.json()
    assert rotated["refresh_token"] != session["refresh_token"]
    assert requests.get(api("/api/v1/accounts/me"), headers={"Authorization": f"Bearer {rotated['access_token']}"}).status_code == 200

    # Someone replays the spent token: the whole family dies, including the rotated one.
    reuse = requests.post(api("/api/v1/auth/refresh"), json={"refresh_token": session["refresh_token"]})
    assert reuse.status_code == 401
    assert reuse.headers["Content-Type"] == "application/problem+json"
    assert requests.post(api("/api/v1/auth/refresh"), json={"refresh_token": rotated["refresh_token"]}).status_code == 401
    assert requests.get(api("/api/v1/accounts/me"), headers={"Authorization": f"Bearer {rotated['access_token']}"}).status_code == 401

    # The owner signs in with a recovery code and finds the reuse in the security log.
    challenge = requests.post(api("/api/v1/auth/login"), json={"login": "peer_alice", "password": "a perfectly fine passphrase"}).json()
    recovered = requests.post(api("/api/v1/auth/login/mfa"), json={"mfa_token": challenge["mfa_token"], "code": recovery_codes[0].upper()})
    assert recovered.status_code == 200, recovered.text
    owner = {"Authorization": f"Bearer {recovered.json()['access_token']}"}
    kinds = [event["kind"] for event in requests.get(api("/api/v1/accounts/me/security-events?limit=100"), headers=owner).json()["items"]]
    for kind in ["registered", "login", "mfa_enrolled", "token_reuse", "recovery_code_used"]:
        assert kind in kinds, kinds
