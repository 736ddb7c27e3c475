import EntativaCore
import EntativaModels

/// An account `entativa seed` makes: active, public, its email verified.
public struct SeededAccount: Sendable {
    public var id: AccountID
    public var username: String
    public var displayName: String
    public var bio: String
    public var createdAt: Int64

    public init(id: AccountID, username: String, displayName: String, bio: String, createdAt: Int64) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.bio = bio
        self.createdAt = createdAt
    }

    /// Seeded addresses are in `.invalid`, a domain that can never receive mail.
    public var email: String { "\(username)@seed.invalid" }
}

/// Writes seeded accounts in bulk, bypassing registration's checks and events: for an empty
/// database no server is using (`entativa seed`), never for real sign-ups.
public struct AccountSeeding: Sendable {
    let env: IdentityEnvironment

    public init(env: IdentityEnvironment) { self.env = env }

    /// Every seeded account gets the same password, hashed once at the configured cost, so
    /// benchmarks can sign in as any of them.
    public func insert(_ accounts: [SeededAccount], password: String, progress: @Sendable (Int) -> Void = { _ in }) async throws {
        let hash = try await env.hasher.hash(password)
        try await BulkWrite.run(accounts, on: env.database, progress: progress) { AccountSeedStore.insert($0, passwordHash: hash) }
    }

    /// Up to `limit` seeded usernames, spread over the seeded accounts rather than the oldest.
    public func usernames(limit: Int) async throws -> [String] {
        try await AccountSeedStore.usernames(limit: limit, on: env.database.sql)
    }
}
