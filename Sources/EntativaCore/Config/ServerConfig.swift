import EntativaModels
import Foundation

/// Everything a deployment can set. `serve` fills it from flags and environment variables
/// (README, "Configuration"); tests build one directly.
public struct ServerConfig: Sendable {
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    public var dataDirectory: String = "./data"
    /// `nil` means embedded SQLite at `<data-dir>/entativa.sqlite`.
    public var databaseURL: String?
    /// PostgreSQL connections per event loop (one loop per core), plus one for realtime LISTEN.
    public var databaseConnectionsPerLoop = 8
    public var platform: Platform = .entativa
    public var logFormat: LogFormat = .text
    public var logLevel: String = "info"
    /// The operator's name for this server (`ENTATIVA_INSTANCE_NAME`); the network's name when unset.
    public var customInstanceName: String?
    public var instanceName: String { customInstanceName ?? platform.displayName }
    /// 0–1023; keeps IDs unique when several instances share one database.
    public var instanceNumber: Int = 0
    /// Concurrent jobs of the `default` lane in this process; 0 runs no jobs here at all (no lane,
    /// no outbox dispatch), leaving them to other processes.
    public var jobWorkers: Int = 4
    /// Slots of the other lanes by name (`ENTATIVA_JOB_LANES`); a lane not named keeps its own default.
    public var jobLanes: [String: Int] = [:]
    /// How long a claimed job may go without renewing before another worker takes it over.
    public var jobLease: Duration = .seconds(60)
    /// Trust the last `X-Forwarded-For` hop as the client address (behind nginx).
    public var trustProxy: Bool = false
    /// bcrypt work factor for new password hashes. 12 in production; tests lower it for speed.
    public var bcryptCost: Int = 12
    public var limits: Limits = .init()
    public var autoMigrate: Bool = true
    /// Where users reach this server, for links in mail and media URLs; `http://host:port` when unset.
    public var publicBaseURL: String?
    /// S3-compatible object storage for media; local disk under the data directory when nil.
    public var objectStorage: ObjectStorageConfig?
    public var notifications = NotificationSettings()
    /// The SMTP relay for every mail; mail goes to the log when nil.
    public var smtp: SMTPSettings?

    public init() {}

    public enum LogFormat: String, Sendable, CaseIterable {
        case text
        case json
    }

    public var publicURL: String { publicBaseURL ?? "http://\(host):\(port)" }

    public var sqlitePath: String { (dataDirectory as NSString).appendingPathComponent("entativa.sqlite") }
}

/// Notification grouping and the push providers (`NOTIFY_*`, `APNS_*`, `FCM_*`, `WEBPUSH_*`).
public struct NotificationSettings: Sendable {
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
}

/// An SMTP relay (`SMTP_*` variables).
public struct SMTPSettings: Sendable, Equatable {
    public enum Security: String, Sendable, CaseIterable {
        /// STARTTLS when the server offers it (the default).
        case starttls
        /// Refuse to send unless STARTTLS succeeds.
        case starttlsRequired = "starttls-required"
        /// TLS from the first byte (port 465).
        case tls
        case none
    }

    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?
    public var from: String
    public var security: Security
    public var caFile: String?

    public init(host: String, port: Int, username: String?, password: String?, from: String, security: Security, caFile: String?) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.from = from
        self.security = security
        self.caFile = caFile
    }
}

/// An S3-compatible bucket (`S3_*` variables).
public struct ObjectStorageConfig: Sendable, Equatable {
    public var endpoint: String
    public var bucket: String
    public var region: String
    public var accessKeyID: String
    public var secretAccessKey: String
    public var forcePathStyle: Bool

    public init(endpoint: String, bucket: String, region: String, accessKeyID: String, secretAccessKey: String, forcePathStyle: Bool) {
        self.endpoint = endpoint
        self.bucket = bucket
        self.region = region
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.forcePathStyle = forcePathStyle
    }
}

/// Every limit in one place (README, "Limits").
public struct Limits: Sendable {
    /// Fixed rather than configurable: request contexts are built before configuration is at hand.
    public static let maxJSONBodyBytes = 1 << 20
    public var defaultPageSize: Int = 20
    public var maxPageSize: Int = 100
    public var accessTokenLifetime: Duration = .seconds(15 * 60)
    public var refreshTokenLifetime: Duration = .seconds(30 * 24 * 3600)
    public var mfaTokenLifetime: Duration = .seconds(5 * 60)
    /// Codes one `mfa_token` may try; it is spent by the sign-in it completes.
    public var mfaAttemptsPerToken = 5
    public var emailTokenLifetime: Duration = .seconds(24 * 3600)
    public var passwordResetTokenLifetime: Duration = .seconds(3600)
    /// Failed sign-ins per account and address, per trusted device, and second-factor codes per
    /// account within `loginWindow` before back-off starts (decision 0009).
    public var loginAttempts: Int = 5
    /// Failed sign-ins per address, whichever accounts they name, within `loginWindow`.
    public var loginAttemptsPerIP: Int = 20
    public var loginWindow: Duration = .seconds(60)
    /// Failed sign-ins per account from devices it does not know, from anywhere, within
    /// `loginAccountWindow`; then such sign-ins wait out the window while known devices go on.
    public var loginAttemptsPerAccount: Int = 100
    public var loginAccountWindow: Duration = .seconds(3600)
    /// How long a device token earns its device its own sign-in budget.
    public var deviceTokenLifetime: Duration = .seconds(365 * 24 * 3600)
    public var registrationsPerIP: Int = 10
    public var registrationWindow: Duration = .seconds(3600)
    /// Password-reset and verification mails per account or address.
    public var mailsPerAddress: Int = 5
    public var mailWindow: Duration = .seconds(3600)
    /// The longest back-off a repeated offender gets.
    public var maxBackoff: Duration = .seconds(3600)
    /// General bucket per access token (or per IP when anonymous): burst size and refill per second.
    public var requestBurst: Int = 300
    public var requestsPerSecond: Double = 5
    public var idempotencyKeyLifetime: Duration = .seconds(24 * 3600)
    /// Media uploads (simple or tus) an account may start per hour, and bytes per day.
    public var uploadsPerHour: Int = 100
    public var uploadBytesPerDay: Int64 = 5 << 30
    /// A tus upload untouched this long expires and its bytes are deleted.
    public var uploadLifetime: Duration = .seconds(24 * 3600)
    /// Media never attached to anything are deleted after this long.
    public var unattachedMediaLifetime: Duration = .seconds(24 * 3600)
    /// Entativa friendships: the most friends an account may have, friend requests it may send a
    /// day, and requests it may have waiting for an answer.
    public var maxFriends = 1500
    public var friendRequestsPerDay = 50
    public var maxPendingFriendRequests = 200
    /// How long a signed URL of private media stays valid.
    public var signedURLLifetime: Duration = .seconds(3600)
    /// How far back a reconnecting socket can resume, and how many events a socket may have
    /// waiting before the server gives up on it.
    public var realtimeResumeWindow: Duration = .seconds(5 * 60)
    public var realtimeSendQueue = 512
    /// Open sockets one account may hold on one instance; a new one closes the oldest (4008).
    public var socketsPerAccount = 10
    /// How often an open socket checks that its session is still open and its account active.
    public var realtimeSessionCheck: Duration = .seconds(30)

    public init() {}

    /// Every limit a client may run into, by name: what `/api/v1/instance` publishes. Durations
    /// are in seconds and sizes in bytes.
    public var publicSummary: [String: Double] {
        func seconds(_ duration: Duration) -> Double { Double(duration.components.seconds) }
        return [
            "max_json_body_bytes": Double(Self.maxJSONBodyBytes),
            "default_page_size": Double(defaultPageSize),
            "max_page_size": Double(maxPageSize),
            "access_token_lifetime_seconds": seconds(accessTokenLifetime),
            "refresh_token_lifetime_seconds": seconds(refreshTokenLifetime),
            "mfa_token_lifetime_seconds": seconds(mfaTokenLifetime),
            "mfa_attempts_per_token": Double(mfaAttemptsPerToken),
            "device_token_lifetime_seconds": seconds(deviceTokenLifetime),
            "email_token_lifetime_seconds": seconds(emailTokenLifetime),
            "password_reset_token_lifetime_seconds": seconds(passwordResetTokenLifetime),
            "login_attempts_per_minute": Double(loginAttempts),
            "login_attempts_per_ip_per_minute": Double(loginAttemptsPerIP),
            "login_window_seconds": seconds(loginWindow),
            "login_attempts_per_account_per_hour": Double(loginAttemptsPerAccount),
            "login_account_window_seconds": seconds(loginAccountWindow),
            "registrations_per_ip_per_hour": Double(registrationsPerIP),
            "registration_window_seconds": seconds(registrationWindow),
            "mails_per_address": Double(mailsPerAddress),
            "mail_window_seconds": seconds(mailWindow),
            "max_backoff_seconds": seconds(maxBackoff),
            "request_burst": Double(requestBurst),
            "requests_per_second": requestsPerSecond,
            "idempotency_key_lifetime_seconds": seconds(idempotencyKeyLifetime),
            "uploads_per_hour": Double(uploadsPerHour),
            "upload_bytes_per_day": Double(uploadBytesPerDay),
            "upload_lifetime_seconds": seconds(uploadLifetime),
            "unattached_media_lifetime_seconds": seconds(unattachedMediaLifetime),
            "max_friends": Double(maxFriends),
            "friend_requests_per_day": Double(friendRequestsPerDay),
            "max_pending_friend_requests": Double(maxPendingFriendRequests),
            "signed_url_lifetime_seconds": seconds(signedURLLifetime),
            "realtime_resume_window_seconds": seconds(realtimeResumeWindow),
            "realtime_send_queue": Double(realtimeSendQueue),
            "sockets_per_account": Double(socketsPerAccount),
            "realtime_session_check_seconds": seconds(realtimeSessionCheck),
        ]
    }
}
