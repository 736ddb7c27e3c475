import EntativaModels
import Foundation

struct NotificationRow: Decodable, Sendable {
    var id: Int64
    var accountId: Int64
    var groupId: Int64
    var type: String
    var actorId: Int64?
    var targetKind: String
    var targetId: String
    var objectKind: String
    var objectId: String
    var data: String
    var dedupeKey: String
    var createdAt: Int64
    var readAt: Int64?

    var actor: AccountID? { actorId.map(AccountID.init(rawValue:)) }
    var target: NotificationTarget? { targetKind.isEmpty ? nil : NotificationTarget(kind: targetKind, id: targetId) }
    var object: NotificationTarget? { objectKind.isEmpty ? nil : NotificationTarget(kind: objectKind, id: objectId) }
    var dataMap: [String: String] { (try? JSONDecoder().decode([String: String].self, from: Data(data.utf8))) ?? [:] }
}

struct GroupRow: Decodable, Sendable {
    var id: Int64
    var accountId: Int64
    var groupKey: String
    var type: String
    var targetKind: String
    var targetId: String
    var count: Int
    var unreadCount: Int
    var latestNotificationId: Int64
    var firstAt: Int64
    var latestAt: Int64

    var target: NotificationTarget? { targetKind.isEmpty ? nil : NotificationTarget(kind: targetKind, id: targetId) }
}

/// A notification about to be stored: who gets it, of which type, from whom, about what.
public struct NotificationDraft: Sendable, Equatable {
    public var recipient: AccountID
    public var type: String
    public var actor: AccountID?
    public var target: NotificationTarget?
    public var object: NotificationTarget?
    public var data: [String: String]
    /// Names the cause (e.g. the outbox event), so a consumer that runs twice stores it once.
    public var dedupeKey: String

    public init(
        recipient: AccountID, type: String, actor: AccountID?, target: NotificationTarget? = nil, object: NotificationTarget? = nil,
        data: [String: String] = [:], dedupeKey: String
    ) {
        self.recipient = recipient
        self.type = type
        self.actor = actor
        self.target = target
        self.object = object
        self.data = data
        self.dedupeKey = dedupeKey
    }
}
