import Foundation

/// Whose notifications of a type reach the account.
public enum NotificationSource: String, Codable, Sendable, CaseIterable {
    case everyone
    /// Accounts the recipient follows.
    case following
    /// Entativa friends; on Vignette, accounts that follow each other.
    case friends
    case nobody
}

public enum EmailDigest: String, Codable, Sendable, CaseIterable {
    case off
    case daily
    case weekly
}

/// The channels of one type, and from whom.
public struct TypePreference: Codable, Sendable, Equatable {
    public var inApp: Bool
    public var push: Bool
    public var email: Bool
    public var from: NotificationSource

    public init(inApp: Bool, push: Bool, email: Bool, from: NotificationSource) {
        self.inApp = inApp
        self.push = push
        self.email = email
        self.from = from
    }
}

/// Hours in which push and email wait (they are deferred, never dropped).
public struct QuietHours: Codable, Sendable, Equatable {
    public var enabled: Bool
    /// `HH:mm`, in `timeZone`; an `end` before `start` spans midnight.
    public var start: String
    public var end: String
    /// An IANA zone such as `Europe/Paris`.
    public var timeZone: String
    public var exceptions: QuietHoursExceptions

    public init(enabled: Bool, start: String, end: String, timeZone: String, exceptions: QuietHoursExceptions = .init()) {
        self.enabled = enabled
        self.start = start
        self.end = end
        self.timeZone = timeZone
        self.exceptions = exceptions
    }
}

/// What still comes through during quiet hours.
public struct QuietHoursExceptions: Codable, Sendable, Equatable {
    /// Anything from accounts on the recipient's close-friends list.
    public var closeFriends: Bool
    /// These types, from anyone (e.g. `new_login`).
    public var types: [String]

    public init(closeFriends: Bool = false, types: [String] = []) {
        self.closeFriends = closeFriends
        self.types = types
    }
}

public struct NotificationPreferences: Codable, Sendable, Equatable {
    /// Every registered type, with its current setting.
    public var types: [String: TypePreference]
    public var quietHours: QuietHours?
    /// Push and email are off until then; the in-app list still fills.
    public var pausedUntil: Date?
    public var emailDigest: EmailDigest

    public init(types: [String: TypePreference], quietHours: QuietHours?, pausedUntil: Date?, emailDigest: EmailDigest) {
        self.types = types
        self.quietHours = quietHours
        self.pausedUntil = pausedUntil
        self.emailDigest = emailDigest
    }
}

/// `PUT /api/v1/notifications/preferences`: every field optional; given ones replace.
public struct NotificationPreferencesUpdate: Codable, Sendable {
    public var types: [String: TypePreferencePatch]?
    /// Set to replace; send `"quiet_hours": {"enabled": false, …}` to switch them off.
    public var quietHours: QuietHours?
    /// Pause push and email for this many hours from now; 0 resumes at once.
    public var pauseHours: Int?
    public var emailDigest: EmailDigest?

    public init(types: [String: TypePreferencePatch]? = nil, quietHours: QuietHours? = nil, pauseHours: Int? = nil, emailDigest: EmailDigest? = nil) {
        self.types = types
        self.quietHours = quietHours
        self.pauseHours = pauseHours
        self.emailDigest = emailDigest
    }
}

public struct TypePreferencePatch: Codable, Sendable {
    public var inApp: Bool?
    public var push: Bool?
    public var email: Bool?
    public var from: NotificationSource?

    public init(inApp: Bool? = nil, push: Bool? = nil, email: Bool? = nil, from: NotificationSource? = nil) {
        self.inApp = inApp
        self.push = push
        self.email = email
        self.from = from
    }
}

public enum PushPlatform: String, Codable, Sendable, CaseIterable {
    case apns
    case fcm
    case web
}

/// `POST /api/v1/push/devices`. For `web`, `token` is the push endpoint URL and `keys` carries
/// the subscription's `p256dh` and `auth`.
public struct RegisterPushDeviceRequest: Codable, Sendable {
    public var platform: PushPlatform
    public var token: String
    public var appId: String?
    public var keys: WebPushKeys?

    public init(platform: PushPlatform, token: String, appId: String? = nil, keys: WebPushKeys? = nil) {
        self.platform = platform
        self.token = token
        self.appId = appId
        self.keys = keys
    }
}

public struct WebPushKeys: Codable, Sendable, Equatable {
    public var p256dh: String
    public var auth: String

    public init(p256dh: String, auth: String) {
        self.p256dh = p256dh
        self.auth = auth
    }
}

public struct PushDevice: Codable, Sendable, Equatable {
    public var id: PushDeviceID
    public var platform: PushPlatform
    public var appId: String?
    /// The token's last characters, enough to tell devices apart.
    public var tokenHint: String
    public var createdAt: Date

    public init(id: PushDeviceID, platform: PushPlatform, appId: String?, tokenHint: String, createdAt: Date) {
        self.id = id
        self.platform = platform
        self.appId = appId
        self.tokenHint = tokenHint
        self.createdAt = createdAt
    }
}

/// `GET /api/v1/push/vapid_key`: the `applicationServerKey` for `PushManager.subscribe`.
public struct VAPIDPublicKey: Codable, Sendable, Equatable {
    public var publicKey: String

    public init(publicKey: String) { self.publicKey = publicKey }
}
