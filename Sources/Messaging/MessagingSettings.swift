import EntativaCore

/// The messaging domain's settings.
public struct MessagingSettings: ModuleSettings {
    /// Devices per account, pending ones included.
    public var maxDevices = 5
    /// Below this many one-time prekeys the device's owner gets a `prekeys_low` event.
    public var lowPreKeyThreshold = 10
    /// Prekey bundle fetches per requester per hour: each one spends a one-time prekey of every
    /// device it reaches, so an unbounded fetcher could drain anyone's.
    public var bundleFetchesPerHour = 300
    /// Members a group may have.
    public var maxGroupMembers = 1_500
    /// Message requests (first messages and group invitations to accounts with no connection to
    /// the sender) one account may start per day: the budget of a spammer.
    public var messageRequestsPerDay = 100
    /// The secret shared with the TURN server (coturn's `static-auth-secret`); no TURN
    /// credentials are handed out without it.
    public var turnSecret: String?
    /// What clients put in their ICE configuration, e.g. `turn:turn.example.com:3478`.
    public var turnURIs: [String] = []
    /// How long TURN credentials last.
    public var turnCredentialSeconds = 3_600

    public init() {}

    public init(reading reader: SettingsReader) throws {
        self.init()
        if let devices = try reader.integer("ENTATIVA_MESSAGING_MAX_DEVICES", in: 1...16) { maxDevices = devices }
        if let threshold = try reader.integer("ENTATIVA_MESSAGING_LOW_PREKEYS", in: 0...100) { lowPreKeyThreshold = threshold }
        if let fetches = try reader.integer("ENTATIVA_MESSAGING_BUNDLE_FETCHES_PER_HOUR", in: 1...100_000) { bundleFetchesPerHour = fetches }
        if let members = try reader.integer("ENTATIVA_MESSAGING_MAX_GROUP_MEMBERS", in: 2...1_500) { maxGroupMembers = members }
        if let requests = try reader.integer("ENTATIVA_MESSAGING_REQUESTS_PER_DAY", in: 1...10_000) { messageRequestsPerDay = requests }
        if let secret = reader.text("ENTATIVA_TURN_SECRET") {
            guard secret.utf8.count >= 16 else { throw ConfigurationError("ENTATIVA_TURN_SECRET must be at least 16 bytes") }
            turnSecret = secret
        }
        if let uris = try reader.value("ENTATIVA_TURN_URIS", Self.turnURIs) { turnURIs = uris }
        if let seconds = try reader.integer("ENTATIVA_TURN_TTL_SECONDS", in: 60...86_400) { turnCredentialSeconds = seconds }
    }

    /// Comma-separated `turn:`, `turns:` or `stun:` URIs.
    static func turnURIs(_ text: String) -> [String]? {
        let uris = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let schemes = ["turn:", "turns:", "stun:"]
        guard !uris.isEmpty, uris.count <= 8, uris.allSatisfy({ uri in schemes.contains { uri.hasPrefix($0) } && uri.utf8.count <= 200 }) else { return nil }
        return uris
    }

    public var publicLimits: [String: Double] {
        [
            "messaging_max_devices": Double(maxDevices), "messaging_max_one_time_prekeys": 100, "messaging_max_group_members": Double(maxGroupMembers),
        ]
    }
}
