import EntativaModels
import Synchronization

/// What producing modules call to notify, without importing the notifications domain that
/// sits above them.
public protocol Notifying: Sendable {
    /// Stores and delivers what the recipients' preferences, blocks, mutes and the targets'
    /// visibility let through; answers the IDs stored.
    @discardableResult
    func notify(_ drafts: [NotificationDraft]) async throws -> [NotificationID]
    /// Removes every notice about a post: its own, its comments', and shares naming it.
    func withdraw(aboutPost post: PostID) async throws
    /// Removes every notice that points at one of `targets` (a deleted story, its countdowns).
    func withdraw(about targets: [NotificationTarget]) async throws
}

/// The notifier of a running server, filled by the notifications domain once it is built.
/// Until then every call fails with 503, so an event consumer's job is retried instead of its
/// notice being dropped.
public final class NotifierSlot: Notifying {
    private let current = Mutex<(any Notifying)?>(nil)

    public init() {}

    public func install(_ notifier: any Notifying) { current.withLock { $0 = notifier } }

    @discardableResult
    public func notify(_ drafts: [NotificationDraft]) async throws -> [NotificationID] {
        try await installed().notify(drafts)
    }

    public func withdraw(aboutPost post: PostID) async throws {
        try await installed().withdraw(aboutPost: post)
    }

    public func withdraw(about targets: [NotificationTarget]) async throws {
        try await installed().withdraw(about: targets)
    }

    private func installed() throws -> any Notifying {
        guard let notifier = current.withLock({ $0 }) else { throw AppError.unavailable("Notifications are not running.") }
        return notifier
    }
}
