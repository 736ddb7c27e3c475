import EntativaCore
import EntativaModels

/// An edge `entativa seed` makes: a follow, or (Entativa) a friendship, from `source` to `target`.
public struct SeededEdge: Sendable, Hashable {
    public var source: AccountID
    public var target: AccountID
    public var createdAt: Int64

    public init(source: AccountID, target: AccountID, createdAt: Int64) {
        self.source = source
        self.target = target
        self.createdAt = createdAt
    }
}

/// Writes a seeded graph in bulk without the use cases' checks and events: for an empty database
/// no server is using (`entativa seed`).
public struct GraphSeeding: Sendable {
    let env: GraphEnvironment

    public init(env: GraphEnvironment) { self.env = env }

    public func insertFollows(_ edges: [SeededEdge], progress: @Sendable (Int) -> Void = { _ in }) async throws {
        try await BulkWrite.run(edges, on: env.database, progress: progress) { GraphSeedStore.insertFollows($0) }
    }

    /// Each friendship once; both of its rows are written.
    public func insertFriendships(_ edges: [SeededEdge], progress: @Sendable (Int) -> Void = { _ in }) async throws {
        let rows = edges.flatMap { [$0, SeededEdge(source: $0.target, target: $0.source, createdAt: $0.createdAt)] }
        try await BulkWrite.run(rows, on: env.database, progress: { progress($0 / 2) }) { GraphSeedStore.insertFriendships($0) }
    }

    /// The account with the most followers and friends, and how many: who a publish benchmark posts as.
    public func largestAudience() async throws -> (account: AccountID, size: Int)? {
        guard let account = try await SuggestionStore.mostFollowed(limit: 1, on: env.database.sql).first else { return nil }
        return (account, try await HomeGraph(env: env).audienceSizes(of: [account])[account] ?? 0)
    }
}
