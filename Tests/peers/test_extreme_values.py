"""Every numeric path and query parameter of every route, fed extreme values: the server stays
up and answers a 4xx problem (or, for values that happen to be valid, a success), never a 5xx."""
import re

import requests

EXTREMES = ["0", "-1", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "1e308", "NaN",
            "Infinity", "+5", " 7", "0x10", "1.5", "%00", "9" * 5000]
# Values that are not numbers at all: only a 4xx may answer them.
NEVER_VALID = {"-1", "9223372036854775808", "-9223372036854775808", "1e308", "NaN", "Infinity", "+5", " 7", "0x10",
               "1.5", "%00", "9" * 5000}


def is_numeric(schema):
    schema = schema or {}
    if schema.get("type") in ("integer", "number"):
        return True
    return schema.get("type") == "string" and bool(re.search(r"\\d|\[0-9\]", schema.get("pattern", "")))


def sample_path(path, parameter, value, default="1"):
    def fill(match):
        return value if match.group(1) == parameter else default
    return re.sub(r"\{([^}]+)\}", fill, path)


def test_extreme_values_never_break_the_server(make_server):
    server = make_server(ENTATIVA_REQUEST_BURST=1000000, ENTATIVA_REGISTRATIONS_PER_IP=1000000).start()
    token = server.register("extreme_user")["access_token"]
    headers = {"Authorization": f"Bearer {token}", "Tus-Resumable": "1.0.0"}
    document = requests.get(server.url("/openapi.json")).json()
    failures, tried = [], 0
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if operation.get("operationId") in ("deleteMe", "logout", "revokeOtherSessions"):
                continue
            for parameter in operation.get("parameters", []):
                where, name, schema = parameter["in"], parameter["name"], parameter.get("schema", {})
                numeric = is_numeric(schema) or name in ("id", "cursor", "limit", "expires", "last_event_id", "account_id")
                if where not in ("path", "query") or not numeric:
                    continue
                for value in EXTREMES:
                    url = server.url(sample_path(path, name, value))
                    params = None
                    if where == "query":
                        url = server.url(sample_path(path, None, value))
                        params = {name: value}
                    if where == "path" and value == "%00":
                        url = server.url(sample_path(path, name, "%00"))
                    response = requests.request(method.upper(), url, params=params, headers=headers, timeout=30)
                    tried += 1
                    status = response.status_code
                    if status >= 500 or (value in NEVER_VALID and not 400 <= status < 500 and status != 426):
                        failures.append(f"{method.upper()} {path} {where}:{name}={value[:24]!r} -> {status}")
                    assert server.process.poll() is None, f"server died on {method.upper()} {path} {name}={value[:24]!r}"
    # Headers that carry integers (tus, Range) get the same treatment.
    upload = requests.post(server.url("/api/v1/uploads"), headers={**headers, "Upload-Length": "1000"})
    assert upload.status_code == 201, upload.text
    location = upload.headers["Location"]
    # requests refuses header values with leading whitespace itself; the rest go out as written.
    for value in (v for v in EXTREMES if not v.startswith(" ")):
        for header, method, target in [("Upload-Length", "POST", server.url("/api/v1/uploads")),
                                       ("Upload-Offset", "PATCH", location)]:
            response = requests.request(method, target, headers={
                **headers, header: value, "Content-Type": "application/offset+octet-stream"}, data=b"x", timeout=30)
            tried += 1
            if not 400 <= response.status_code < 500 and not (value == "0" and response.status_code in (201, 204)):
                failures.append(f"{method} {header}={value[:24]!r} -> {response.status_code}")
    assert server.process.poll() is None
    assert requests.get(server.url("/health/live")).status_code == 200
    assert tried > 200, tried
    assert not failures, "\n".join(failures)
