import EntativaCore
import EntativaModels
import Graph

/// Keeps homes in step with the graph. Each changed follow, friendship, mute or block names a
/// reader and an author; the pair is reconciled with the graph as it is now (so events may come
/// twice or out of order): an author who belongs in the reader's home gets their newest posts
/// copied in (unless readers pull them), one who no longer does is taken out.
struct HomeMembership: Sendable {
    let env: FeedEnvironment

    func subscribe() {
        env.kernel.events.subscribeBatch(GraphEdgeChanged.self, consumer: "feed.graph_changed", maxBatch: 100) { batch in
            var pairs: [AccountPair] = []
            for (event, _) in batch {
                switch event.kind {
                case .follow, .friendship, .mute:
                    pairs.append(AccountPair(event.sourceId, event.targetId))
                case .block:
                    pairs.append(AccountPair(event.sourceId, event.targetId))
                    pairs.append(AccountPair(event.targetId, event.sourceId))
                case .followRequest, .closeFriend, .friendRequest:
                    continue
                }
            }
            var seen = Set<AccountPair>()
            for pair in pairs where seen.insert(pair).inserted {
                try await reconcile(reader: pair.first, author: pair.second)
            }
        }
    }

    func reconcile(reader: AccountID, author: AccountID) async throws {
        let database = env.database
        guard try await env.graph.reaches(reader, from: author) else {
            try await database.transaction { db in try await HomeEntryStore.removeAuthor(author, from: reader, on: db) }
            return
        }
        guard env.settings.backfillPosts > 0, try await !env.isPulled(author) else { return }
        let recent = try await env.posts.newest(byAny: [author], before: nil, limit: env.settings.backfillPosts)
        try await database.transaction { db in try await HomeEntryStore.insert(recent, into: reader, on: db) }
    }
}
