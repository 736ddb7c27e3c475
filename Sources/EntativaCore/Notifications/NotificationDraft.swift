import EntativaModels

/// A notification about to be stored: who gets it, of which type, from whom, about what.
public struct NotificationDraft: Sendable, Equatable {
    public var recipient: AccountID
    public var type: String
    public var actor: AccountID?
    public var target: NotificationTarget?
    public var object: NotificationTarget?
    public var data: [String: String]
    /// The post the notice is about, when it is about one (a comment's post for comment targets):
    /// deleting that post withdraws the notice. A post target is its own post reference.
    public var post: PostID?
    /// Names the cause (e.g. the outbox event), so a consumer that runs twice stores it once.
    public var dedupeKey: String

    public init(
        recipient: AccountID, type: String, actor: AccountID?, target: NotificationTarget? = nil, object: NotificationTarget? = nil,
        data: [String: String] = [:], post: PostID? = nil, dedupeKey: String
    ) {
        self.recipient = recipient
        self.type = type
        self.actor = actor
        self.target = target
        self.object = object
        self.data = data
        self.post = post ?? target.flatMap { $0.kind == "post" ? PostID($0.id) : nil }
        self.dedupeKey = dedupeKey
    }

    /// The dedupe key of the notice of `type` caused by outbox event `event`: a consumer job that
    /// runs twice stores it once.
    public static func key(event: Int64, type: String) -> String { "event-\(event)-\(type)" }
}
