import Foundation

/// The JSON body APNs delivers: the `aps` dictionary plus the app's own keys at top level.
struct APNsPayload: Encodable {
    /// APNs rejects larger bodies for alert and background pushes.
    static let maximumSize = 4096

    struct Alert: Encodable {
        var title: String
        var body: String
    }

    struct APS: Encodable {
        var alert: Alert?
        var badge: Int?
        var sound: String?
        var threadID: String?
        var mutableContent: Int?
        var contentAvailable: Int?

        enum CodingKeys: String, CodingKey {
            case alert, badge, sound
            case threadID = "thread-id"
            case mutableContent = "mutable-content"
            case contentAvailable = "content-available"
        }
    }

    var aps: APS
    var custom: [String: String]

    init(_ message: PushMessage) {
        if message.isSilent {
            // Background pushes carry no alert, sound or badge, or iOS may drop them.
            aps = APS(contentAvailable: 1)
        } else {
            aps = APS(
                alert: Alert(title: message.title, body: message.body),
                badge: message.badge,
                sound: "default",
                threadID: message.threadID,
                mutableContent: message.mutableContent ? 1 : nil
            )
        }
        // "aps" is Apple's; an app key of that name would replace it.
        custom = message.data.filter { $0.key != "aps" }
    }

    private struct DynamicKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: DynamicKey.self)
        try container.encode(aps, forKey: DynamicKey(stringValue: "aps"))
        for (key, value) in custom {
            try container.encode(value, forKey: DynamicKey(stringValue: key))
        }
    }

    /// The encoded body, the alert body shortened with "…" when needed to fit `maximumSize`;
    /// nil when even an empty body does not fit (the custom data is too large).
    func encodedWithinLimit() throws -> Data? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let full = try encoder.encode(self)
        if full.count <= Self.maximumSize { return full }
        guard let alert = aps.alert else { return nil }

        // JSON escaping makes the encoded size of a prefix hard to predict, so search for the
        // longest prefix of whole characters that fits.
        let characters = Array(alert.body)
        var payload = self
        func encoded(keeping count: Int) throws -> Data {
            payload.aps.alert?.body = count == 0 ? "" : String(characters[..<count]) + "…"
            return try encoder.encode(payload)
        }
        var best = try encoded(keeping: 0)
        guard best.count <= Self.maximumSize else { return nil }
        var low = 1
        var high = characters.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let candidate = try encoded(keeping: middle)
            if candidate.count <= Self.maximumSize {
                best = candidate
                low = middle + 1
            } else {
                high = middle - 1
            }
        }
        return best
    }
}
