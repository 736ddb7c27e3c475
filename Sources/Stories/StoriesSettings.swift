import EntativaCore

/// The stories domain's settings. No variable sets them yet; the stories issue adds the
/// lifetime and per-day limits here.
public struct StoriesSettings: ModuleSettings {
    /// How often expired stories move from the tray into their owners' archives.
    public var archiveSweepInterval: Duration = .seconds(600)

    public init() {}

    public init(reading reader: SettingsReader) throws {
        self.init()
    }
}
