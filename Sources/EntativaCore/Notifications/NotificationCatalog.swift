import EntativaModels
import Synchronization

/// The notification types of every module and who may see what they point at. Each producing
/// module registers its own kinds and target rules while it is built; the notifications domain
/// only reads the catalog, so a new domain brings notices without editing it.
public final class NotificationCatalog: Sendable {
    /// Which of `ids`, all of one target kind, `recipient` may still see.
    public typealias TargetRule = @Sendable (_ ids: [String], _ recipient: AccountID) async throws -> Set<String>

    private struct Entries {
        var kinds: [String: NotificationKind] = [:]
        var rules: [String: TargetRule] = [:]
    }

    private let entries = Mutex(Entries())

    public init() {}

    /// Adds kinds; a name taken before is a startup error, since two modules would otherwise
    /// silently share preferences and texts.
    public func register(_ kinds: [NotificationKind]) throws {
        try entries.withLock { entries in
            for kind in kinds {
                guard entries.kinds[kind.name] == nil else { throw NotificationCatalogError.duplicateKind(kind.name) }
                entries.kinds[kind.name] = kind
            }
        }
    }

    /// Adds the visibility rule of one kind of target (`post`, `session` …), once.
    public func registerTarget(_ targetKind: String, rule: @escaping TargetRule) throws {
        try entries.withLock { entries in
            guard entries.rules[targetKind] == nil else { throw NotificationCatalogError.duplicateTarget(targetKind) }
            entries.rules[targetKind] = rule
        }
    }

    public func kind(_ name: String) -> NotificationKind? { entries.withLock { $0.kinds[name] } }

    public var all: [NotificationKind] { entries.withLock { $0.kinds.values.sorted { $0.name < $1.name } } }

    /// The ones of `targets` that `recipient` may see, one look-up per target kind. A kind
    /// without a rule is visible to no one (fail closed): a notice about something no module
    /// can check is neither stored nor sent.
    public func visible(_ targets: [NotificationTarget], to recipient: AccountID) async throws -> Set<NotificationTarget> {
        var visible: Set<NotificationTarget> = []
        for (kind, group) in Dictionary(grouping: targets, by: \.kind) {
            guard let rule = entries.withLock({ $0.rules[kind] }) else { continue }
            for id in try await rule(Array(Set(group.map(\.id))), recipient) {
                visible.insert(NotificationTarget(kind: kind, id: id))
            }
        }
        return visible
    }
}

public enum NotificationCatalogError: Error, Equatable, CustomStringConvertible {
    case duplicateKind(String)
    case duplicateTarget(String)

    public var description: String {
        switch self {
        case .duplicateKind(let name): "notification type \(name) is registered twice"
        case .duplicateTarget(let kind): "notification target kind \(kind) has two visibility rules"
        }
    }
}
