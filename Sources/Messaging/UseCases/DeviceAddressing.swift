import EntativaCore
import EntativaModels
import Foundation

/// Checks a send's addressing against the devices it must reach (`<account>.<device>` to their
/// registration IDs, read inside the sending transaction), collecting a field error
/// `devices.<account>.<device>` for each duplicate, extra, stale or missing device.
struct DeviceAddressing {
    let expected: [String: Int]
    private(set) var errors: [FieldError] = []

    init(expected: [String: Int]) { self.expected = expected }

    /// Checks one list of addressed devices; with `complete`, every expected device must be in it.
    mutating func check(_ addresses: [(account: AccountID, device: Int, registration: Int)], complete: Bool, missing: String) {
        var seen = Set<String>()
        for address in addresses {
            let name = "\(address.account).\(address.device)"
            guard seen.insert(name).inserted else {
                errors.append(FieldError(field: "devices.\(name)", code: "duplicate", message: "is addressed twice"))
                continue
            }
            guard let current = expected[name] else {
                errors.append(FieldError(field: "devices.\(name)", code: "extra", message: "is not an active device it may go to"))
                continue
            }
            if current != address.registration {
                errors.append(FieldError(field: "devices.\(name)", code: "stale", message: "has a new registration ID: fetch its keys again"))
            }
        }
        guard complete else { return }
        for name in expected.keys.sorted() where !seen.contains(name) {
            errors.append(FieldError(field: "devices.\(name)", code: "missing", message: missing))
        }
    }

    /// 409 with every error found; nothing is stored then.
    func validate(title: String, detail: String) throws {
        guard errors.isEmpty else { throw AppError(status: 409, code: "device-mismatch", title: title, detail: detail, fieldErrors: errors) }
    }

    /// Checks pairwise envelopes field by field; answers their contents as canonical base64.
    static func contents(of envelopes: [OutgoingEnvelope], into validator: inout Validator) -> [String] {
        envelopes.enumerated().map { index, envelope in
            let bytes = checkedCiphertext(envelope.content, field: "envelopes.\(index).content", into: &validator)
            validator.check(SignalKeyFormat.deviceIDs.contains(envelope.deviceId), "envelopes.\(index).device_id", "out_of_range", "must be 1–127")
            validator.check(
                EnvelopeType.pairwise.contains(envelope.type), "envelopes.\(index).type", "invalid", "must be prekey or message: sender_key is a group payload")
            return bytes?.base64EncodedString() ?? ""
        }
    }

    /// Base64 of 1–256 KiB, decoded only when its length allows that.
    static func checkedCiphertext(_ text: String, field: String, into validator: inout Validator) -> Data? {
        let bytes = text.utf8.count <= OutgoingEnvelope.maxContentLength ? Data(base64Encoded: text) : nil
        let valid = bytes.map { !$0.isEmpty && $0.count <= OutgoingEnvelope.maxContentBytes } ?? false
        validator.check(valid, field, "invalid", "must be base64 of 1–\(OutgoingEnvelope.maxContentBytes) bytes")
        return valid ? bytes : nil
    }
}
