"""libsignal as a witness for EntativaKit's Signal-protocol code.

Reads a JSON list of requests on stdin and writes the list of answers on stdout; bytes travel
as hex. The Swift tests run it (Tests/Support/LibsignalPeer.swift); it keeps no state between
runs, so every request carries the keys it needs.
"""
import json
import sys

from signal_protocol import curve

KEY_TYPE = b"\x05"  # libsignal's prefix for a serialized Curve25519 public key


def public(raw_hex):
    return curve.PublicKey.deserialize(KEY_TYPE + bytes.fromhex(raw_hex))


def answer(request):
    op = request["op"]
    if op == "generate":
        pair = curve.KeyPair.generate()
        return {
            "private": pair.private_key().serialize().hex(),
            "public": pair.public_key().serialize()[1:].hex(),
        }
    if op == "public":
        private = curve.PrivateKey.deserialize(bytes.fromhex(request["private"]))
        return {"public": private.public_key().serialize()[1:].hex()}
    if op == "sign":
        private = curve.PrivateKey.deserialize(bytes.fromhex(request["private"]))
        return {"signature": bytes(private.calculate_signature(bytes.fromhex(request["message"]))).hex()}
    if op == "verify":
        try:
            valid = public(request["public"]).verify_signature(
                bytes.fromhex(request["message"]), bytes.fromhex(request["signature"]))
        except Exception:  # libsignal raises on malformed input; that is a refusal too
            valid = False
        return {"valid": "yes" if valid else "no"}
    raise ValueError(f"unknown op {op}")


def main():
    requests = json.load(sys.stdin)
    json.dump([answer(request) for request in requests], sys.stdout)


if __name__ == "__main__":
    main()
