import EntativaModels
import Foundation

/// One type of notification, declared by the module that produces it: its name, whether it
/// groups, what it points at, its text and default channels.
public struct NotificationKind: Sendable {
    public var name: String
    public var description: String
    /// Notifications of a groupable type about the same target fold into one group.
    public var groupable: Bool
    /// What `target` names (post, comment, session …); nil when there is no target.
    public var targetKind: String?
    public var defaults: TypePreference
    /// Security notices: mailed at once even when the recipient collects mail into a digest.
    public var urgent: Bool
    /// The sentence for one actor (`{actor}` is replaced) and for a group (`{actor}`, `{others}`).
    public var text: String
    public var groupText: String

    public init(
        _ name: String, _ description: String, groupable: Bool, target: String?, text: String, groupText: String? = nil,
        defaults: TypePreference = TypePreference(inApp: true, push: true, email: false, from: .everyone), urgent: Bool = false
    ) {
        self.name = name
        self.description = description
        self.groupable = groupable
        self.targetKind = target
        self.text = text
        self.groupText = groupText ?? text
        self.defaults = defaults
        self.urgent = urgent
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
