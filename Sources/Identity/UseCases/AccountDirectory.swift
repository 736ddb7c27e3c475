import EntativaCore
import EntativaModels

/// Published, in the transaction that makes it, when what others find an account by changed:
/// its display name or privacy, or its standing (suspended, unsuspended). Search re-reads it.
public struct AccountProfileChanged: DomainEvent {
    public static let topic = "account.profile_changed"
    public var accountId: AccountID
    /// Whether who may see its content changed (privacy, suspension); absent means it may have.
    public var standingChanged: Bool?
}

/// Every account, a page at a time in ID order, for whoever rebuilds something from all of them
/// (search's re-index). Which of them anyone may see is still `Profiles`' to say.
public struct AccountDirectory: Sendable {
    let env: IdentityEnvironment

    public init(env: IdentityEnvironment) { self.env = env }

    /// Accounts that are not deleted, with IDs above `after`.
    public func ids(after: AccountID?, limit: Int) async throws -> [AccountID] {
        try await AccountStore.undeletedIDs(after: after?.rawValue ?? 0, limit: limit, on: env.database.sql)
    }

    /// How many `ids` would list in all, for progress reports.
    public func count() async throws -> Int {
        try await AccountStore.undeletedCount(on: env.database.sql)
    }
}
