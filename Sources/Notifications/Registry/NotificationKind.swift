import EntativaModels
import Synchronization

/// One type of notification. Every type, built in or added by a later domain, is declared
/// here once: its name, whether it groups, what it points at, its text and default channels.
public struct NotificationKind: Sendable {
    public var name: String
    public var description: String
    /// Notifications of a groupable type about the same target fold into one group.
    public var groupable: Bool
    /// What `target` names (post, comment, story …); nil when there is no target.
    public var targetKind: String?
    public var defaults: TypePreference
    /// The sentence for one actor (`{actor}` is replaced) and for a group (`{actor}`, `{others}`).
    public var text: String
    public var groupText: String

    public init(
        _ name: String, _ description: String, groupable: Bool, target: String?, text: String, groupText: String? = nil,
        defaults: TypePreference = TypePreference(inApp: true, push: true, email: false, from: .everyone)
    ) {
        self.name = name
        self.description = description
        self.groupable = groupable
        self.targetKind = target
        self.text = text
        self.groupText = groupText ?? text
        self.defaults = defaults
    }

    /// "alice reacted to your post", "alice and 5 others reacted to your post".
    public func render(actorName: String?, count: Int) -> String {
        let actor = actorName ?? "Someone"
        guard count > 1 else { return text.replacingOccurrences(of: "{actor}", with: actor) }
        let others = count - 1 == 1 ? "1 other" : "\(count - 1) others"
        return groupText.replacingOccurrences(of: "{actor}", with: actor).replacingOccurrences(of: "{others}", with: others)
    }

    public var info: NotificationTypeInfo {
        NotificationTypeInfo(name: name, description: description, groupable: groupable, targetKind: targetKind, defaultPreference: defaults)
    }
}

/// The one list of notification types.
public final class NotificationRegistry: Sendable {
    private let kinds = Mutex<[String: NotificationKind]>([:])

    public init() {
        for kind in Self.builtIn { register(kind) }
    }

    public func register(_ kind: NotificationKind) {
        kinds.withLock { $0[kind.name] = kind }
    }

    public func kind(_ name: String) -> NotificationKind? { kinds.withLock { $0[name] } }

    public var all: [NotificationKind] { kinds.withLock { $0.values.sorted { $0.name < $1.name } } }
}
