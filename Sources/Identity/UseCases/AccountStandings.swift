import EntativaCore
import EntativaModels
import SQLKit

/// Whether an account's content may go out at all, and whether only to its audience.
public struct AccountStanding: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        case active
        /// Back when an administrator lifts the suspension; nothing of theirs is served meanwhile.
        case suspended
        /// Gone for good; its data is being removed.
        case deleted
    }

    public var status: Status
    public var isPrivate: Bool

    public var isActive: Bool { status == .active }

    public init(status: Status, isPrivate: Bool) {
        self.status = status
        self.isPrivate = isPrivate
    }
}

/// Standings of accounts for domains that serve content outside a viewer's request (media files
/// are fetched anonymously, by URL), from the accounts cache that every change of privacy,
/// suspension or deletion empties at once, so the change counts from the next request on.
public struct AccountStandings: Sendable {
    let env: IdentityEnvironment

    public init(env: IdentityEnvironment) { self.env = env }

    /// The standing of each of `ids` that exists; unknown accounts are left out.
    public func of(_ ids: [AccountID]) async throws -> [AccountID: AccountStanding] {
        let rows = try await env.accountRows.find(Array(Set(ids)))
        return Dictionary(uniqueKeysWithValues: rows.map {
            ($0.id, AccountStanding(status: Self.status($0.state), isPrivate: $0.isPrivate))
        })
    }

    static func status(_ state: AccountState) -> AccountStanding.Status {
        switch state {
        case .active: .active
        case .suspended: .suspended
        case .deleted: .deleted
        }
    }
}
