"""libsignal as a witness for EntativaKit's Signal-protocol code.

Reads a JSON list of requests on stdin and writes the list of answers on stdout; bytes travel
as hex. The Swift tests run it (Tests/Support/LibsignalPeer.swift). Key operations keep no
state; session operations keep a party's whole store (identity, prekeys, sessions) in the JSON
file a request names, so one party can be driven across many runs.
"""
import json
import os
import sys

from signal_protocol import (
    address, curve, fingerprint, group_cipher, identity_key, protocol, sender_keys, session, session_cipher, state, storage)

KEY_TYPE = b"\x05"  # libsignal's prefix for a serialized Curve25519 public key


def public(raw_hex):
    return curve.PublicKey.deserialize(KEY_TYPE + bytes.fromhex(raw_hex))


class Party:
    """One libsignal party, loaded from and saved to a state file."""

    def __init__(self, path):
        self.path = path
        with open(path) as f:
            self.data = json.load(f)
        pair = identity_key.IdentityKeyPair.from_bytes(bytes.fromhex(self.data["identity"]))
        self.store = storage.InMemSignalProtocolStore(pair, self.data["registration_id"])
        for key_id, record in self.data["prekeys"].items():
            self.store.save_pre_key(int(key_id), state.PreKeyRecord.deserialize(bytes.fromhex(record)))
        for key_id, record in self.data["signed"].items():
            self.store.save_signed_pre_key(int(key_id), state.SignedPreKeyRecord.deserialize(bytes.fromhex(record)))
        for name, key in self.data["identities"].items():
            self.store.save_identity(self.address(name), identity_key.IdentityKey(bytes.fromhex(key)))
        for name, record in self.data["sessions"].items():
            self.store.store_session(self.address(name), state.SessionRecord.deserialize(bytes.fromhex(record)))

    @staticmethod
    def address(name):
        account, device = name.rsplit(".", 1)
        return address.ProtocolAddress(account, int(device))

    def save(self, peer):
        record = self.store.load_session(self.address(peer))
        if record is not None:
            self.data["sessions"][peer] = record.serialize().hex()
        known = self.store.get_identity(self.address(peer))
        if known is not None:
            self.data["identities"][peer] = known.serialize().hex()
        # A one-time prekey is gone once a session used it.
        for key_id in list(self.data["prekeys"]):
            try:
                self.store.get_pre_key(int(key_id))
            except Exception:
                del self.data["prekeys"][key_id]
        with open(self.path, "w") as f:
            json.dump(self.data, f)


def create_party(request):
    """A new party with one signed prekey and one one-time prekey; answers its bundle."""
    pair = identity_key.IdentityKeyPair.generate()
    signed = curve.KeyPair.generate()
    one_time = curve.KeyPair.generate()
    signature = pair.private_key().calculate_signature(signed.public_key().serialize())
    signed_id, one_time_id = int(request["signed_pre_key_id"]), int(request["pre_key_id"])
    data = {
        "identity": pair.serialize().hex(),
        "registration_id": int(request["registration_id"]),
        "prekeys": {str(one_time_id): state.PreKeyRecord(one_time_id, one_time).serialize().hex()},
        "signed": {str(signed_id): state.SignedPreKeyRecord(signed_id, 42, signed, signature).serialize().hex()},
        "identities": {},
        "sessions": {},
    }
    with open(request["state"], "w") as f:
        json.dump(data, f)
    return {
        "identity_key": pair.identity_key().serialize()[1:].hex(),
        "signed_pre_key": signed.public_key().serialize()[1:].hex(),
        "signature": bytes(signature).hex(),
        "pre_key": one_time.public_key().serialize()[1:].hex(),
    }


def session_op(request):
    party = Party(request["state"])
    peer = request["peer"]
    op = request["op"]
    try:
        if op == "process_bundle":
            one_time = request.get("pre_key")
            bundle = state.PreKeyBundle(
                int(request["registration_id"]),
                int(peer.rsplit(".", 1)[1]),
                int(request["pre_key_id"]) if one_time else None,
                public(one_time) if one_time else None,
                int(request["signed_pre_key_id"]),
                public(request["signed_pre_key"]),
                bytes.fromhex(request["signature"]),
                identity_key.IdentityKey(KEY_TYPE + bytes.fromhex(request["identity_key"])),
            )
            session.process_prekey_bundle(party.address(peer), party.store, bundle)
            result = {"ok": "yes"}
        elif op == "encrypt":
            message = session_cipher.message_encrypt(party.store, party.address(peer), bytes.fromhex(request["plaintext"]))
            result = {"type": str(message.message_type()), "body": bytes(message.serialize()).hex()}
        elif op == "decrypt":
            body = bytes.fromhex(request["body"])
            if request["type"] == "3":
                message = protocol.PreKeySignalMessage.try_from(body)
            else:
                message = protocol.SignalMessage.try_from(body)
            result = {"plaintext": bytes(session_cipher.message_decrypt(party.store, party.address(peer), message)).hex()}
        else:
            raise ValueError(f"unknown op {op}")
    except Exception as error:  # a refusal is an answer: the Swift side checks which
        return {"error": type(error).__name__ + ": " + str(error)}
    party.save(peer)
    return result


def group_op(request):
    """Sender Keys: one party's sender-key records (by group and sender) live in its state file."""
    path = request["state"]
    records = {}
    if os.path.exists(path):
        with open(path) as f:
            records = json.load(f)
    store = storage.InMemSignalProtocolStore(identity_key.IdentityKeyPair.generate(), 1)
    account, device = request["sender"].rsplit(".", 1)
    name = sender_keys.SenderKeyName(request["group"], address.ProtocolAddress(account, int(device)))
    key = request["group"] + "/" + request["sender"]
    if key in records:
        store.store_sender_key(name, sender_keys.SenderKeyRecord.deserialize(bytes.fromhex(records[key])))
    op = request["op"]
    try:
        if op == "group_create":
            message = group_cipher.create_sender_key_distribution_message(name, store)
            result = {"distribution": bytes(message.serialize()).hex()}
        elif op == "group_process":
            message = protocol.SenderKeyDistributionMessage.try_from(bytes.fromhex(request["distribution"]))
            group_cipher.process_sender_key_distribution_message(name, message, store)
            result = {"ok": "yes"}
        elif op == "group_encrypt":
            result = {"body": bytes(group_cipher.group_encrypt(store, name, bytes.fromhex(request["plaintext"]))).hex()}
        else:
            result = {"plaintext": bytes(group_cipher.group_decrypt(bytes.fromhex(request["body"]), store, name)).hex()}
    except Exception as error:  # a refusal is an answer: the Swift side checks which
        return {"error": type(error).__name__ + ": " + str(error)}
    record = store.load_sender_key(name)
    if record is not None:
        records[key] = bytes(record.serialize()).hex()
    with open(path, "w") as f:
        json.dump(records, f)
    return result


def answer(request):
    op = request["op"]
    if op == "create_party":
        return create_party(request)
    if op == "safety_number":
        number = fingerprint.Fingerprint(
            2, 5200, bytes.fromhex(request["local_id"]), identity_key.IdentityKey(KEY_TYPE + bytes.fromhex(request["local_key"])),
            bytes.fromhex(request["remote_id"]), identity_key.IdentityKey(KEY_TYPE + bytes.fromhex(request["remote_key"])))
        return {"number": number.display_string()}
    if op in ("process_bundle", "encrypt", "decrypt"):
        return session_op(request)
    if op in ("group_create", "group_process", "group_encrypt", "group_decrypt"):
        return group_op(request)
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
