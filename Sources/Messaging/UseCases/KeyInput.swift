import EntativaCore
import EntativaCrypto
import EntativaModels
import Foundation

/// Keys and signatures from a request, checked into canonical base64 before anything is stored.
/// Each problem is a field error; nothing is kept from a request with one.
struct KeyInput {
    var validator = Validator()

    /// A 33-byte libsignal public key (type byte 0x05), or nil after recording why not.
    mutating func publicKey(_ text: String, field: String) -> [UInt8]? {
        guard text.utf8.count <= 64, let data = Data(base64Encoded: text) else {
            validator.add(field, "invalid", "must be base64 of a 33-byte public key")
            return nil
        }
        guard data.count == SignalKeyFormat.publicKeyBytes, data.first == SignalKeyFormat.publicKeyType else {
            validator.add(field, "invalid", "must be a 33-byte public key starting with the type byte 0x05")
            return nil
        }
        return Array(data)
    }

    mutating func signature(_ text: String, field: String) -> [UInt8]? {
        guard text.utf8.count <= 128, let data = Data(base64Encoded: text), data.count == SignalKeyFormat.signatureBytes else {
            validator.add(field, "invalid", "must be base64 of a 64-byte signature")
            return nil
        }
        return Array(data)
    }

    mutating func preKeyID(_ id: Int, field: String) {
        validator.check(SignalKeyFormat.preKeyIDs.contains(id), field, "out_of_range", "must be 1–16777215")
    }

    /// A signed prekey whose signature the identity key made.
    mutating func signedPreKey(_ upload: SignedPreKeyUpload, identityKey: [UInt8]?, field: String) -> SignedPreKeyUpload? {
        preKeyID(upload.keyId, field: "\(field).key_id")
        let key = publicKey(upload.publicKey, field: "\(field).public_key")
        let signature = signature(upload.signature, field: "\(field).signature")
        guard let key, let signature, let identityKey else { return nil }
        guard XEdDSA.verify(signature, for: key, publicKey: identityKey.dropFirst()) else {
            validator.add("\(field).signature", "invalid_signature", "is not the identity key's signature over public_key")
            return nil
        }
        return SignedPreKeyUpload(keyId: upload.keyId, publicKey: Data(key).base64EncodedString(), signature: Data(signature).base64EncodedString())
    }

    /// One-time prekeys: at most `room`, IDs distinct.
    mutating func oneTimePreKeys(_ uploads: [OneTimePreKeyUpload], room: Int) -> [(id: Int, publicKey: String)] {
        validator.check(uploads.count <= room, "one_time_pre_keys", "too_many", "may add at most \(room) more (a device keeps at most \(SignalKeyFormat.maxOneTimePreKeys))")
        validator.check(Set(uploads.map(\.keyId)).count == uploads.count, "one_time_pre_keys", "duplicate", "has a key_id twice")
        guard uploads.count <= SignalKeyFormat.maxOneTimePreKeys else { return [] }
        var keys: [(id: Int, publicKey: String)] = []
        for (index, upload) in uploads.enumerated() {
            preKeyID(upload.keyId, field: "one_time_pre_keys.\(index).key_id")
            if let key = publicKey(upload.publicKey, field: "one_time_pre_keys.\(index).public_key") {
                keys.append((upload.keyId, Data(key).base64EncodedString()))
            }
        }
        return keys
    }

    func validate() throws { try validator.validate() }
}
