import EntativaCore
import EntativaModels
import Posts
import SQLKit

/// Pushes posts into their readers' homes. Every post event reconciles the post with what it
/// is now (live or not, its audience), so events may arrive twice or out of order: a retried
/// publish after a delete pushes nothing, and an edit to "only me" takes the post out.
struct FanOut: Sendable {
    let env: FeedEnvironment

    func subscribe() {
        let events = env.kernel.events
        events.subscribeBatch(PostPublished.self, consumer: "feed.fan_out", maxBatch: 50) { batch in
            for event in batch { try await reconcile(event.event.postId) }
        }
        events.subscribe(PostEdited.self, consumer: "feed.post_edited") { event, _ in try await reconcile(event.postId) }
        events.subscribe(PostDeleted.self, consumer: "feed.post_deleted") { event, _ in try await reconcile(event.postId) }
    }

    func reconcile(_ post: PostID) async throws {
        let database = env.database
        guard let standing = try await env.posts.standing(of: post) else {
            try await database.transaction { db in try await HomeEntryStore.removePost(post, keeping: nil, on: db) }
            return
        }
        let author = standing.author
        try await database.transaction { db in
            try await HomeEntryStore.insert(post: post, author: author, into: [author], on: db)
        }
        // A post only its author sees, or one by an author readers pull, stays in the author's
        // home alone; the readers' visibility rule hides whatever an earlier push left behind.
        if standing.audience == .onlyMe {
            try await database.transaction { db in try await HomeEntryStore.removePost(post, keeping: author, on: db) }
            return
        }
        let pulled = try await env.audienceAtThreshold(author)
        let posts = env.posts
        let change = try await env.pullStates.change(for: author, pulled: pulled) {
            max(post, try await posts.newest(byAny: [author], before: nil, limit: 1).first?.id ?? post)
        }
        if let change {
            try await database.transaction { db in try await PullStateStore.set(author, to: change, on: db) }
        }
        if pulled { return }
        var after: AccountID?
        while true {
            let members = try await env.graph.members(of: author, after: after, limit: env.settings.fanOutBatch)
            guard let last = members.last else { break }
            try await database.transaction { db in try await HomeEntryStore.insert(post: post, author: author, into: members, on: db) }
            after = last
        }
    }
}
