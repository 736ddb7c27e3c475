import EntativaCore
import EntativaModels

/// The Takes domain's face for search: which posts are Takes, and Takes rendered for a viewer.
public struct TakeIndex: Sendable {
    let env: TakesEnvironment

    public init(env: TakesEnvironment) { self.env = env }

    /// The live Takes among `ids`.
    public func takes(among ids: [PostID]) async throws -> Set<PostID> {
        guard !ids.isEmpty else { return [] }
        return Set(try await TakeStore.live(ids, on: env.database.sql).map(\.postId))
    }

    /// The Takes of `ids` that `viewer` may see, rendered, in the order of `ids`.
    public func render(_ ids: [PostID], viewer: Principal?) async throws -> [Take] {
        let rows = try await TakeStore.live(ids, on: env.database.sql)
        let rendered = Dictionary(uniqueKeysWithValues: try await TakeRenderer(env: env).render(rows, viewer: viewer).map { ($0.id, $0) })
        return ids.compactMap { rendered[$0] }
    }
}
