import EntativaModels
import Foundation

/// One event for one account's sockets, as it goes over the wire:
/// `{"id": "…", "type": "…", "payload": {…}}`. The payload is kept as JSON text so an event
/// crosses instances and the resume log without being decoded and encoded again.
public struct RealtimeEvent: Sendable, Equatable {
    public var id: Int64
    public var accountID: AccountID
    public var type: String
    public var payloadJSON: String
    public var createdAt: Int64
    /// Passed on but never logged (typing, receipts, presence, call signalling): its frame has no
    /// ID, since a client that resumed from it would find it nowhere in the log.
    public var ephemeral: Bool

    public init(id: Int64, accountID: AccountID, type: String, payloadJSON: String, createdAt: Int64, ephemeral: Bool = false) {
        self.id = id
        self.accountID = accountID
        self.type = type
        self.payloadJSON = payloadJSON
        self.createdAt = createdAt
        self.ephemeral = ephemeral
    }

    public var wireText: String { Self.frame(id: ephemeral ? nil : String(id), type: type, payloadJSON: payloadJSON) }

    /// Control frames (ready, pong, error) carry no resumable ID.
    static func control(type: String, payloadJSON: String = "{}") -> String {
        frame(id: nil, type: type, payloadJSON: payloadJSON)
    }

    private static func frame(id: String?, type: String, payloadJSON: String) -> String {
        let idText = id.map { "\"\($0)\"" } ?? "null"
        return "{\"id\":\(idText),\"type\":\(JSONText.quoted(type)),\"payload\":\(payloadJSON)}"
    }
}
