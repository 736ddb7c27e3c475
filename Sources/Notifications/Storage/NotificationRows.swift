import EntativaModels
import Foundation
import SQLKit

struct NotificationRow: Sendable {
    var id: Int64
    var accountId: Int64
    var groupId: Int64
    var type: String
    var actorId: Int64?
    var targetKind: String
    var targetId: String
    var objectKind: String
    var objectId: String
    /// The post the notice hangs off (its target, or the post of its comment), for deleting by post.
    var postId: Int64?
    var data: String
    var dedupeKey: String
    var createdAt: Int64
    var readAt: Int64?

    var actor: AccountID? { actorId.map(AccountID.init(rawValue:)) }
    var target: NotificationTarget? { targetKind.isEmpty ? nil : NotificationTarget(kind: targetKind, id: targetId) }
    var object: NotificationTarget? { objectKind.isEmpty ? nil : NotificationTarget(kind: objectKind, id: objectId) }
    var dataMap: [String: String] { (try? JSONDecoder().decode([String: String].self, from: Data(data.utf8))) ?? [:] }

    /// Reads columns by their own names: fan-out reads thousands of rows, and the generic
    /// decoder's key conversion showed as the largest cost in the benchmark's profile.
    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: Int64.self)
        accountId = try row.decode(column: "account_id", as: Int64.self)
        groupId = try row.decode(column: "group_id", as: Int64.self)
        type = try row.decode(column: "type", as: String.self)
        actorId = try row.decode(column: "actor_id", as: Int64?.self)
        targetKind = try row.decode(column: "target_kind", as: String.self)
        targetId = try row.decode(column: "target_id", as: String.self)
        objectKind = try row.decode(column: "object_kind", as: String.self)
        objectId = try row.decode(column: "object_id", as: String.self)
        postId = try row.decode(column: "post_id", as: Int64?.self)
        data = try row.decode(column: "data", as: String.self)
        dedupeKey = try row.decode(column: "dedupe_key", as: String.self)
        createdAt = try row.decode(column: "created_at", as: Int64.self)
        readAt = try row.decode(column: "read_at", as: Int64?.self)
    }

    init(
        id: Int64, accountId: Int64, groupId: Int64, type: String, actorId: Int64?, targetKind: String, targetId: String, objectKind: String,
        objectId: String, postId: Int64?, data: String, dedupeKey: String, createdAt: Int64, readAt: Int64?
    ) {
        self.id = id
        self.accountId = accountId
        self.groupId = groupId
        self.type = type
        self.actorId = actorId
        self.targetKind = targetKind
        self.targetId = targetId
        self.objectKind = objectKind
        self.objectId = objectId
        self.postId = postId
        self.data = data
        self.dedupeKey = dedupeKey
        self.createdAt = createdAt
        self.readAt = readAt
    }
}

struct GroupRow: Sendable {
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

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: Int64.self)
        accountId = try row.decode(column: "account_id", as: Int64.self)
        groupKey = try row.decode(column: "group_key", as: String.self)
        type = try row.decode(column: "type", as: String.self)
        targetKind = try row.decode(column: "target_kind", as: String.self)
        targetId = try row.decode(column: "target_id", as: String.self)
        count = try row.decode(column: "count", as: Int.self)
        unreadCount = try row.decode(column: "unread_count", as: Int.self)
        latestNotificationId = try row.decode(column: "latest_notification_id", as: Int64.self)
        firstAt = try row.decode(column: "first_at", as: Int64.self)
        latestAt = try row.decode(column: "latest_at", as: Int64.self)
    }

    init(
        id: Int64, accountId: Int64, groupKey: String, type: String, targetKind: String, targetId: String, count: Int, unreadCount: Int,
        latestNotificationId: Int64, firstAt: Int64, latestAt: Int64
    ) {
        self.id = id
        self.accountId = accountId
        self.groupKey = groupKey
        self.type = type
        self.targetKind = targetKind
        self.targetId = targetId
        self.count = count
        self.unreadCount = unreadCount
        self.latestNotificationId = latestNotificationId
        self.firstAt = firstAt
        self.latestAt = latestAt
    }
}

/// A notification about to be stored: who gets it, of which type, from whom, about what.
public struct NotificationDraft: Sendable, Equatable {
    public var recipient: AccountID
    public var type: String
    public var actor: AccountID?
    public var target: NotificationTarget?
    public var object: NotificationTarget?
    public var data: [String: String]
    /// The post the notice is about, when it is about one (a comment's post for comment targets):
    /// deleting that post deletes the notice. A post target is its own post reference.
    public var post: PostID?
    /// Names the cause (e.g. the outbox event), so a consumer that runs twice stores it once.
    public var dedupeKey: String

    public init(
        recipient: AccountID, type: String, actor: AccountID?, target: NotificationTarget? = nil, object: NotificationTarget? = nil,
        data: [String: String] = [:], post: PostID? = nil, dedupeKey: String
    ) {
        self.recipient = recipient
        self.type = type
        self.actor = actor
        self.target = target
        self.object = object
        self.data = data
        self.post = post ?? target.flatMap { $0.kind == "post" ? PostID($0.id) : nil }
        self.dedupeKey = dedupeKey
    }
}
