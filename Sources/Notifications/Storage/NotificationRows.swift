import EntativaModels
import Foundation
import SQLKit

/// A stored value no case of its enum names: the row is refused, never read as some default.
struct UnknownStoredValue: Error, CustomStringConvertible {
    var column: String
    var value: String

    var description: String { "unknown value \(value) in column \(column)" }
}

extension PushPlatform {
    init(stored value: String) throws {
        guard let platform = PushPlatform(rawValue: value) else { throw UnknownStoredValue(column: "platform", value: value) }
        self = platform
    }
}

enum NotificationGroupEntity {}
/// A group's row ID; clients address groups by their `group_key`, never by this.
typealias NotificationGroupID = Identifier<NotificationGroupEntity>

struct NotificationRow: Sendable, Equatable {
    var id: NotificationID
    var accountId: AccountID
    var groupId: NotificationGroupID
    var type: String
    var actor: AccountID?
    var targetKind: String
    var targetId: String
    var objectKind: String
    var objectId: String
    /// The post the notice hangs off (its target, or the post of its comment), for withdrawing by post.
    var postId: PostID?
    var data: String
    var dedupeKey: String
    var createdAt: Int64
    var readAt: Int64?

    var target: NotificationTarget? { targetKind.isEmpty ? nil : NotificationTarget(kind: targetKind, id: targetId) }
    var object: NotificationTarget? { objectKind.isEmpty ? nil : NotificationTarget(kind: objectKind, id: objectId) }
    var dataMap: [String: String] { (try? JSONDecoder().decode([String: String].self, from: Data(data.utf8))) ?? [:] }

    /// Reads columns by their own names: fan-out reads thousands of rows, and the generic
    /// decoder's key conversion showed as the largest cost in the benchmark's profile. IDs are
    /// stored as integers, so they are read as such and typed here, once.
    init(row: any SQLRow) throws {
        id = NotificationID(rawValue: try row.decode(column: "id", as: Int64.self))
        accountId = AccountID(rawValue: try row.decode(column: "account_id", as: Int64.self))
        groupId = NotificationGroupID(rawValue: try row.decode(column: "group_id", as: Int64.self))
        type = try row.decode(column: "type", as: String.self)
        actor = try row.decode(column: "actor_id", as: Int64?.self).map(AccountID.init(rawValue:))
        targetKind = try row.decode(column: "target_kind", as: String.self)
        targetId = try row.decode(column: "target_id", as: String.self)
        objectKind = try row.decode(column: "object_kind", as: String.self)
        objectId = try row.decode(column: "object_id", as: String.self)
        postId = try row.decode(column: "post_id", as: Int64?.self).map(PostID.init(rawValue:))
        data = try row.decode(column: "data", as: String.self)
        dedupeKey = try row.decode(column: "dedupe_key", as: String.self)
        createdAt = try row.decode(column: "created_at", as: Int64.self)
        readAt = try row.decode(column: "read_at", as: Int64?.self)
    }

    init(
        id: NotificationID, accountId: AccountID, groupId: NotificationGroupID, type: String, actor: AccountID?, targetKind: String,
        targetId: String, objectKind: String, objectId: String, postId: PostID?, data: String, dedupeKey: String, createdAt: Int64,
        readAt: Int64?
    ) {
        self.id = id
        self.accountId = accountId
        self.groupId = groupId
        self.type = type
        self.actor = actor
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

struct GroupRow: Sendable, Equatable {
    var id: NotificationGroupID
    var accountId: AccountID
    var groupKey: String
    var type: String
    var targetKind: String
    var targetId: String
    var count: Int
    var unreadCount: Int
    var latestNotificationId: NotificationID
    var firstAt: Int64
    var latestAt: Int64

    var target: NotificationTarget? { targetKind.isEmpty ? nil : NotificationTarget(kind: targetKind, id: targetId) }

    init(row: any SQLRow) throws {
        id = NotificationGroupID(rawValue: try row.decode(column: "id", as: Int64.self))
        accountId = AccountID(rawValue: try row.decode(column: "account_id", as: Int64.self))
        groupKey = try row.decode(column: "group_key", as: String.self)
        type = try row.decode(column: "type", as: String.self)
        targetKind = try row.decode(column: "target_kind", as: String.self)
        targetId = try row.decode(column: "target_id", as: String.self)
        count = try row.decode(column: "count", as: Int.self)
        unreadCount = try row.decode(column: "unread_count", as: Int.self)
        latestNotificationId = NotificationID(rawValue: try row.decode(column: "latest_notification_id", as: Int64.self))
        firstAt = try row.decode(column: "first_at", as: Int64.self)
        latestAt = try row.decode(column: "latest_at", as: Int64.self)
    }

    init(
        id: NotificationGroupID, accountId: AccountID, groupKey: String, type: String, targetKind: String, targetId: String, count: Int,
        unreadCount: Int, latestNotificationId: NotificationID, firstAt: Int64, latestAt: Int64
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
