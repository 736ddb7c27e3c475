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

    public init() {}

    public init(reading reader: SettingsReader) throws {
        self.init()
        if let devices = try reader.integer("ENTATIVA_MESSAGING_MAX_DEVICES", in: 1...16) { maxDevices = devices }
        if let threshold = try reader.integer("ENTATIVA_MESSAGING_LOW_PREKEYS", in: 0...100) { lowPreKeyThreshold = threshold }
        if let fetches = try reader.integer("ENTATIVA_MESSAGING_BUNDLE_FETCHES_PER_HOUR", in: 1...100_000) { bundleFetchesPerHour = fetches }
    }

    public var publicLimits: [String: Double] {
        ["messaging_max_devices": Double(maxDevices), "messaging_max_one_time_prekeys": 100]
    }
}
