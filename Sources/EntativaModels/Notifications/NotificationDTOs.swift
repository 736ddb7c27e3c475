import Foundation

public enum NotificationEntity {}
public typealias NotificationID = Identifier<NotificationEntity>
public enum PushDeviceEntity {}
public typealias PushDeviceID = Identifier<PushDeviceEntity>

/// What a notification is about: a post, a comment, a story … (`kind` names the entity).
public struct NotificationTarget: Codable, Sendable, Equatable, Hashable {
    public var kind: String
    public var id: String

    public init(kind: String, id: String) {
        self.kind = kind
        self.id = id
    }
}

/// One notification, as the flat list (`?grouped=false`) shows it.
public struct AppNotification: Codable, Sendable, Equatable {
    public var id: NotificationID
    public var type: String
    /// Nil when the actor is gone or hidden from the recipient, or for system notices.
    public var actor: Account?
    public var target: NotificationTarget?
    /// A second entity where the type needs one, e.g. the comment of a `comment` notification.
    public var object: NotificationTarget?
    public var groupKey: String
    public var text: String
    public var data: [String: String]
    public var read: Bool
    public var createdAt: Date

    public init(
        id: NotificationID, type: String, actor: Account?, target: NotificationTarget?, object: NotificationTarget?, groupKey: String,
        text: String, data: [String: String], read: Bool, createdAt: Date
    ) {
        self.id = id
        self.type = type
        self.actor = actor
        self.target = target
        self.object = object
        self.groupKey = groupKey
        self.text = text
        self.data = data
        self.read = read
        self.createdAt = createdAt
    }
}

/// Notifications of one type about one target inside the grouping window: "Alice and 5 others
/// reacted to your post".
public struct NotificationGroup: Codable, Sendable, Equatable {
    /// Stable for the group's life; use it to mark read or delete.
    public var groupKey: String
    public var type: String
    public var target: NotificationTarget?
    /// Newest first, at most 8.
    public var actors: [Account]
    /// How many notifications (one per actor) the group holds.
    public var count: Int
    public var unread: Bool
    public var text: String
    public var latestNotificationId: NotificationID
    public var firstAt: Date
    public var latestAt: Date

    public init(
        groupKey: String, type: String, target: NotificationTarget?, actors: [Account], count: Int, unread: Bool, text: String,
        latestNotificationId: NotificationID, firstAt: Date, latestAt: Date
    ) {
        self.groupKey = groupKey
        self.type = type
        self.target = target
        self.actors = actors
        self.count = count
        self.unread = unread
        self.text = text
        self.latestNotificationId = latestNotificationId
        self.firstAt = firstAt
        self.latestAt = latestAt
    }
}

public struct UnreadCount: Codable, Sendable, Equatable {
    public var notifications: Int
    public var groups: Int

    public init(notifications: Int, groups: Int) {
        self.notifications = notifications
        self.groups = groups
    }
}

/// A notification type as `GET /api/v1/notifications/types` lists it.
public struct NotificationTypeInfo: Codable, Sendable, Equatable {
    public var name: String
    public var description: String
    public var groupable: Bool
    public var targetKind: String?
    public var defaultPreference: TypePreference

    public init(name: String, description: String, groupable: Bool, targetKind: String?, defaultPreference: TypePreference) {
        self.name = name
        self.description = description
        self.groupable = groupable
        self.targetKind = targetKind
        self.defaultPreference = defaultPreference
    }
}
