import EntativaCore
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
        json += "\"created_at\":\(JSONText.quoted(EntativaJSON.formatTimestamp(notification.createdAt)))"
        json += ",\"data\":{\(notification.data.sorted { $0.key < $1.key }.map { "\(JSONText.quoted($0.key)):\(JSONText.quoted($0.value))" }.joined(separator: ","))}"
        json += ",\"group_key\":\(JSONText.quoted(notification.groupKey))"
        json += ",\"id\":\"\(notification.id.rawValue)\""
        if let object = notification.object { json += ",\"object\":\(Self.target(object))" }
        json += ",\"read\":\(notification.read)"
        if let target = notification.target { json += ",\"target\":\(Self.target(target))" }
        json += ",\"text\":\(JSONText.quoted(notification.text))"
        json += ",\"type\":\(JSONText.quoted(notification.type))}}"
        return json
    }

    static func target(_ target: NotificationTarget) -> String {
         "{\"id\":\(JSONText.quoted(target.id)),\"kind\":\(JSONText.quoted(target.kind))}"
    }
}
