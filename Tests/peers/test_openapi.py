"""The served OpenAPI document is valid 3.1, and schemathesis finds no server error and no
answer that breaks it."""
import os
import random
import subprocess
import sys

import requests
from openapi_spec_validator import validate


def test_document_is_valid_openapi_31(make_server):
    server = make_server().start()
    document = requests.get(server.url("/openapi.json")).json()
    validate(document)
    assert document["openapi"].startswith("3.1")
    for path in ["/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/accounts/{id}", "/health/ready", "/metrics"]:
        assert path in document["paths"], path


# Operations that end the fuzzer's own session; they are covered by the Swift tests.
SESSION_ENDING = ["logout", "deleteMe", "revokeOtherSessions", "changePassword"]


def test_schemathesis_finds_no_server_errors_or_schema_violations(make_server, tmp_path):
    server = make_server(ENTATIVA_BCRYPT_COST=4, ENTATIVA_REQUEST_BURST=1000000, ENTATIVA_REGISTRATIONS_PER_IP=1000000,
                         ENTATIVA_LOGIN_ATTEMPTS=1000000,
                         ENTATIVA_LOGIN_ATTEMPTS_PER_IP=1000000, ENTATIVA_LOGIN_ATTEMPTS_PER_ACCOUNT=1000000).start()
    token = server.register("fuzzing_user")["access_token"]
    # A new seed each run (a fixed one replays the same cases forever); printed, so a failure
    # can be replayed with SCHEMATHESIS_SEED.
    seed = os.environ.get("SCHEMATHESIS_SEED") or str(random.randrange(1, 2**31))
    print(f"schemathesis seed: {seed} (replay with SCHEMATHESIS_SEED={seed})")
    command = [
        os.path.join(os.path.dirname(sys.executable), "schemathesis"), "run", server.url("/openapi.json"),
        "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,"
                    "response_schema_conformance,response_headers_conformance",
        "--header", f"Authorization: Bearer {token}",
        "--max-examples", os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "30"),
        # One worker: CPython 3.11 can fail compiling in two threads at once (seen here).
        "--workers", "1", "--phases", "examples,coverage,fuzzing",
        "--seed", seed, "--suppress-health-check", "all",
    ]
    for operation in SESSION_ENDING:
        command += ["--exclude-operation-id", operation]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "schemathesis_hooks",
           "PYTHONPATH": os.path.dirname(os.path.abspath(__file__))}
    result = subprocess.run(command, capture_output=True, text=True, timeout=1200, env=env)
    print(result.stdout[-20000:])
    assert result.returncode == 0, f"seed {seed}\n" + result.stdout[-20000:] + result.stderr[-5000:]
