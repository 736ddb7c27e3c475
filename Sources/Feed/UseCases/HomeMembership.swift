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
            try await database.transaction { db in
                try await HomeEntryStore.removeAuthor(author, from: reader, on: db)
                try await HomeEntryStore.setGap(of: reader, author: author, below: nil, on: db)
            }
            return
        }
        // Readers merge pulled authors' posts in on every read: nothing to copy, no gap.
        guard try await !env.pullStates.isPulled(author) else {
            try await database.transaction { db in try await HomeEntryStore.setGap(of: reader, author: author, below: nil, on: db) }
            return
        }
        // The newest posts are copied; when there may be older ones, the home read pulls the
        // author's posts below the oldest copy, so fan-out still gives what pull would.
        let backfill = env.settings.backfillPosts
        let recent = try await env.posts.newest(byAny: [author], before: nil, limit: max(1, backfill))
        let copied = backfill > 0 ? recent : []
        let below: PostID? =
            backfill == 0 ? recent.first.map { PostID(rawValue: $0.id.rawValue + 1) }
            : recent.count == backfill ? recent.last?.id : nil
        try await database.transaction { db in
            try await HomeEntryStore.insert(copied, into: reader, on: db)
            try await HomeEntryStore.setGap(of: reader, author: author, below: below, on: db)
        }
    }
}
