import EntativaModels
import Foundation

/// What the kernel needs: where to listen, the database, logging, mail, jobs, realtime and the
/// request limits every module shares. Each domain module owns its own settings type
/// (`IdentitySettings`, `MediaSettings` …); the composition root's `EntativaConfig` bundles them.
/// `serve` fills it from flags and environment variables (README, "Configuration").
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
    public var limits: Limits = .init()
    public var autoMigrate: Bool = true
    /// Where users reach this server, for links in mail and media URLs; `http://host:port` when unset.
    public var publicBaseURL: String?
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

/// The kernel's limits: pages, the general request rate, idempotency keys and realtime. The
/// domains' own limits live in their settings (README, "Limits").
public struct Limits: Sendable {
    /// Fixed rather than configurable: request contexts are built before configuration is at hand.
    public static let maxJSONBodyBytes = 1 << 20
    public var defaultPageSize: Int = 20
    public var maxPageSize: Int = 100
    /// General bucket per access token (or per IP when anonymous): burst size and refill per second.
    public var requestBurst: Int = 300
    public var requestsPerSecond: Double = 5
    public var idempotencyKeyLifetime: Duration = .seconds(24 * 3600)
    /// How far back a reconnecting socket can resume, and how many events a socket may have
    /// waiting before the server gives up on it.
    public var realtimeResumeWindow: Duration = .seconds(5 * 60)
    public var realtimeSendQueue = 512
    /// Open sockets one account may hold on one instance; a new one closes the oldest (4008).
    public var socketsPerAccount = 10
    /// How often an open socket checks that its session is still open and its account active.
    public var realtimeSessionCheck: Duration = .seconds(30)

    public init() {}

    /// The kernel's part of what `/api/v1/instance` publishes, by name. Durations are in seconds
    /// and sizes in bytes.
    public var publicSummary: [String: Double] {
        [
            "max_json_body_bytes": Double(Self.maxJSONBodyBytes),
            "default_page_size": Double(defaultPageSize),
            "max_page_size": Double(maxPageSize),
            "request_burst": Double(requestBurst),
            "requests_per_second": requestsPerSecond,
            "idempotency_key_lifetime_seconds": idempotencyKeyLifetime.publishedSeconds,
            "realtime_resume_window_seconds": realtimeResumeWindow.publishedSeconds,
            "realtime_send_queue": Double(realtimeSendQueue),
            "sockets_per_account": Double(socketsPerAccount),
            "realtime_session_check_seconds": realtimeSessionCheck.publishedSeconds,
        ]
    }
}

extension Duration {
    /// Whole seconds, as `/api/v1/instance` publishes durations.
    public var publishedSeconds: Double { Double(components.seconds) }
}
