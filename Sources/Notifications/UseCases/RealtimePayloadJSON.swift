import EntativaModels
import Foundation

/// The `notification` realtime payload, written directly. Fan-out renders thousands a second and
/// the generic encoder was the largest cost after SQLite; the actor's JSON is encoded once per
/// batch and spliced in. It decodes to the same `AppNotification` (a test holds it to that).
struct RealtimePayloadJSON {
    var actorJSON: [AccountID: String]

    init(actors: [AccountID: Account]) throws {
        let encoder = EntativaJSON.encoder()
        actorJSON = try actors.mapValues { String(decoding: try encoder.encode($0), as: UTF8.self) }
    }

    func payload(_ notification: AppNotification, groupCount: Int) -> String {
        // Keys sorted and absent values left out, as the API's encoder writes them.
        var json = "{\"group_count\":\(groupCount),\"notification\":{"
        if let actor = notification.actor.flatMap({ actorJSON[$0.id] }) { json += "\"actor\":\(actor)," }
        json += "\"created_at\":\(Self.string(EntativaJSON.formatTimestamp(notification.createdAt)))"
        json += ",\"data\":{\(notification.data.sorted { $0.key < $1.key }.map { "\(Self.string($0.key)):\(Self.string($0.value))" }.joined(separator: ","))}"
        json += ",\"group_key\":\(Self.string(notification.groupKey))"
        json += ",\"id\":\"\(notification.id.rawValue)\""
        if let object = notification.object { json += ",\"object\":\(Self.target(object))" }
        json += ",\"read\":\(notification.read)"
        if let target = notification.target { json += ",\"target\":\(Self.target(target))" }
        json += ",\"text\":\(Self.string(notification.text))"
        json += ",\"type\":\(Self.string(notification.type))}}"
        return json
    }

    static func target(_ target: NotificationTarget) -> String {
         "{\"id\":\(string(target.id)),\"kind\":\(string(target.kind))}"
    }

    /// A JSON string literal (RFC 8259 escaping).
    static func string(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let control where control.value < 0x20:
                out += String(format: "\\u%04x", control.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
