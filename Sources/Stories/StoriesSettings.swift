import EntativaCore

/// The stories domain's settings.
public struct StoriesSettings: ModuleSettings {
    /// How long a story stays in the tray. The product says 24 hours; tests and operators keep it.
    public var lifetime: Duration = .seconds(24 * 3600)
    /// How often expired stories move from the tray into their owners' archives. Reads never wait
    /// for it (they compare `expires_at`); only the archive does.
    public var archiveSweepInterval: Duration = .seconds(60)
    /// The longest caption, in characters.
    public var maxCaption = 2_200
    /// The most accounts one story may be hidden from.
    public var maxHideFrom = 1_000
    /// The longest a video story may play, and how long an image may be shown.
    public var maxVideoSeconds = 60
    public var maxImageSeconds = 15
    public var defaultImageSeconds = 5
    /// The most stories one account may have in its tray at once: it bounds what a viewer's
    /// "play all" and an author's list cost.
    public var maxLive = 100

    public init() {}

    public init(reading reader: SettingsReader) throws {
        self.init()
    }

    /// The stories' part of what `/api/v1/instance` publishes.
    public var publicLimits: [String: Double] {
        [
            "story_lifetime_seconds": Double(lifetime.components.seconds),
            "max_story_caption": Double(maxCaption),
            "max_story_hide_from": Double(maxHideFrom),
            "max_story_video_seconds": Double(maxVideoSeconds),
            "max_story_image_seconds": Double(maxImageSeconds),
            "max_live_stories": Double(maxLive),
        ]
    }
}
