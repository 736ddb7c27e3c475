import EntativaCore

/// Notification grouping and the push providers (`NOTIFY_*`, `APNS_*`, `FCM_*`, `WEBPUSH_*`,
/// `PUSH_*`).
public struct NotificationSettings: ModuleSettings {
    /// Notifications of one type about one target this close together form one group.
    public var groupingWindow: Duration = .seconds(24 * 3600)
    /// APNs token auth: the .p8 key file, its key ID, the team ID; base URL for sandbox or tests.
    public var apnsKeyPath: String?
    public var apnsKeyID: String?
    public var apnsTeamID: String?
    public var apnsBaseURL = "https://api.push.apple.com"
    /// FCM HTTP v1: the service-account JSON file; base URL for tests.
    public var fcmServiceAccountPath: String?
    public var fcmBaseURL = "https://fcm.googleapis.com"
    /// The VAPID `sub` claim: how push services reach the operator.
    public var webPushSubject = "mailto:admin@localhost"
    /// Extra PEM roots trusted for push providers (private gateways, tests).
    public var pushCAFile: String?
    /// Accept Web Push endpoints on loopback and private addresses (tests, closed networks); off,
    /// a client can't make the server post to its own network.
    public var allowPrivatePushEndpoints = false

    public init() {}

    public init(reading reader: SettingsReader) throws {
        if let hours = try reader.integer("NOTIFY_GROUP_WINDOW_HOURS", in: 1...720) {
            groupingWindow = .seconds(hours * 3600)
        }
        apnsKeyPath = reader.text("APNS_KEY_PATH")
        apnsKeyID = reader.text("APNS_KEY_ID")
        apnsTeamID = reader.text("APNS_TEAM_ID")
        apnsBaseURL = reader.text("APNS_BASE_URL") ?? apnsBaseURL
        fcmServiceAccountPath = reader.text("FCM_SERVICE_ACCOUNT")
        fcmBaseURL = reader.text("FCM_BASE_URL") ?? fcmBaseURL
        webPushSubject = reader.text("WEBPUSH_SUBJECT") ?? webPushSubject
        pushCAFile = reader.text("PUSH_CA_FILE")
        allowPrivatePushEndpoints = try reader.bool("PUSH_ALLOW_PRIVATE_ENDPOINTS") ?? false
    }
}
