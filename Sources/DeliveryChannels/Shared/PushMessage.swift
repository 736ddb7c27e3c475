/// A notification as every push channel understands it; each sender maps it to its provider's format.
public struct PushMessage: Sendable, Equatable {
    public var title: String
    public var body: String
    /// App-defined key/values delivered beside the alert (strings only, as FCM requires).
    public var data: [String: String]
    /// Messages with the same key replace each other on the device.
    public var collapseKey: String?
    /// Groups notifications in the device's notification centre.
    public var threadID: String?
    public var badge: Int?
    /// How long the provider may hold the message for an offline device.
    public var timeToLive: Duration
    /// A background push: no alert, low priority, wakes the app to fetch.
    public var isSilent: Bool
    /// Lets an iOS notification service extension rewrite the alert (e.g. decrypt it) before display.
    public var mutableContent: Bool

    public init(
        title: String,
        body: String,
        data: [String: String] = [:],
        collapseKey: String? = nil,
        threadID: String? = nil,
        badge: Int? = nil,
        timeToLive: Duration = .seconds(86_400),
        isSilent: Bool = false,
        mutableContent: Bool = false
    ) {
        self.title = title
        self.body = body
        self.data = data
        self.collapseKey = collapseKey
        self.threadID = threadID
        self.badge = badge
        self.timeToLive = timeToLive
        self.isSilent = isSilent
        self.mutableContent = mutableContent
    }

    /// Whole seconds of `timeToLive`, never negative, as the providers' headers want.
    var timeToLiveSeconds: Int64 {
        max(0, timeToLive.components.seconds)
    }
}
