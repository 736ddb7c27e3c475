import EntativaModels
import Synchronization

/// Who may see what a notification points at (its target and object): one rule per kind.
/// A kind without a rule is visible to no one, so a notice about something this server cannot
/// check is neither stored nor sent (fail closed). A domain that brings a new kind (stories,
/// trends …) registers its rule together with its notification types.
public final class NotificationTargets: Sendable {
    /// Which of `ids`, all of one kind, `recipient` may see now.
    public typealias Rule = @Sendable (_ ids: [String], _ recipient: AccountID) async throws -> Set<String>

    private let rules = Mutex<[String: Rule]>([:])

    public init() {}

    public func register(_ kind: String, rule: @escaping Rule) {
        rules.withLock { $0[kind] = rule }
    }

    /// The ones of `targets` that `recipient` may see; one look-up per kind.
    func visible(_ targets: [NotificationTarget], to recipient: AccountID) async throws -> Set<NotificationTarget> {
        var visible: Set<NotificationTarget> = []
        for (kind, group) in Dictionary(grouping: targets, by: \.kind) {
            guard let rule = rules.withLock({ $0[kind] }) else { continue }
            for id in try await rule(Array(Set(group.map(\.id))), recipient) {
                visible.insert(NotificationTarget(kind: kind, id: id))
            }
        }
        return visible
    }
}
