import EntativaCore
import EntativaModels
import Graph
import Identity
import Posts

/// Keeps the index in step with the outbox: every consumer re-reads its source (`Indexer`), so
/// a retried or late event does no harm.
struct IndexEvents: Sendable {
    let env: SearchEnvironment

    func subscribe() {
        let indexer = Indexer(env: env)
        let events = env.kernel.events
        events.subscribeBatch(AccountRegistered.self, consumer: "search.account_registered", maxBatch: 100) { batch in
            try await indexer.indexAccounts(batch.map(\.event.accountId))
        }
        events.subscribe(AccountProfileChanged.self, consumer: "search.account_changed") { event, _ in
            try await indexer.indexAccounts([event.accountId])
            // Whether its posts' hashtags and places count follows who may see them.
            if event.standingChanged ?? true { try await indexer.reindexPosts(of: event.accountId) }
        }
        // Follower counts rank accounts; a follow changes its target's.
        events.subscribeBatch(GraphEdgeChanged.self, consumer: "search.graph_changed", maxBatch: 100) { batch in
            let targets = batch.map(\.event).filter { $0.kind == .follow || $0.kind == .friendship }.map(\.targetId)
            try await indexer.indexAccounts(targets)
        }
        events.subscribeBatch(PostPublished.self, consumer: "search.post_published", maxBatch: 50) { batch in
            try await indexer.indexPosts(batch.map(\.event.postId))
        }
        events.subscribeBatch(PostEdited.self, consumer: "search.post_edited", maxBatch: 50) { batch in
            try await indexer.indexPosts(batch.map(\.event.postId))
        }
        events.subscribeBatch(PostDeleted.self, consumer: "search.post_deleted", maxBatch: 50) { batch in
            try await indexer.indexPosts(batch.map(\.event.postId))
        }
    }
}
