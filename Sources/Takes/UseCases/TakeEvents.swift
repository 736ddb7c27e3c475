import EntativaCore
import EntativaModels
import Posts

/// What Takes does when Posts announces a change to a post that is a Take: a deleted one leaves
/// its trends (its origin credit stays) and its template's count; an edit that adds a hashtag
/// joins that trend at the edit's time, and one that removes a hashtag leaves it.
struct TakeEvents: Sendable {
    let env: TakesEnvironment

    func subscribe() {
        let env = self.env
        let events = env.kernel.events
        events.subscribe(PostDeleted.self, consumer: "takes.post_deleted") { event, _ in
            try await env.database.transaction { db in
                guard let row = try await TakeStore.find(event.postId, on: db, lock: env.database.forUpdate),
                    try await TakeStore.markDeleted(event.postId, now: env.now, on: db)
                else { return }
                try await TrendStore.leaveAll(take: event.postId, on: db)
                try await BehindTheTakeStore.delete(event.postId, on: db)
                try await env.attachments.release(BehindTheTakes.mediaReference(event.postId), on: db)
                if let template = row.templateId { try await TemplateStore.bumpUses(template, by: -1, on: db) }
            }
        }
        events.subscribe(PostEdited.self, consumer: "takes.post_edited") { event, _ in
            guard let hashtags = event.hashtags else { return }
            let startsTrends = try await TrendJoining(env: env).startsTrends(audience: event.audience, author: event.authorId)
            try await env.database.transaction { db in
                guard let row = try await TakeStore.find(event.postId, on: db, lock: env.database.forUpdate), row.deletedAt == nil else { return }
                let current = Set(hashtags.map { $0.lowercased() })
                let entries = try await TrendStore.entries(of: [event.postId], on: db)
                let trends = try await TrendStore.find(entries.map(\.trendId), on: db).filter { $0.kind == .hashtag }
                let joined = Set(trends.map(\.key))
                try await TrendStore.leave(trends.filter { !current.contains($0.key) }.map(\.id), take: event.postId, on: db)
                let added = current.subtracting(joined).sorted().map { (TrendKind.hashtag, $0) }
                try await TrendJoining(env: env).join(
                    event.postId, author: row.authorId, keys: added, at: event.editedAt ?? env.now, startsTrends: startsTrends, on: db)
            }
        }
    }
}
