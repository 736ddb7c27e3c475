import EntativaCore
import EntativaModels
import SQLKit

enum FeedSeedStore {
    struct Impression: Sendable {
        var reader: AccountID
        var post: PostID
        var author: AccountID
        var shownAt: Int64
        var dwellMs: Int
        var features: EngagementFeatures
        var engagedAt: Int64?
    }

    static func insertEntries(_ entries: ArraySlice<(account: AccountID, post: PostID, author: AccountID)>) -> SQLQueryString {
        let rows: [SQLQueryString] = entries.map { "(\(bind: $0.account.rawValue), \(bind: $0.post.rawValue), \(bind: $0.author.rawValue))" }
        return "INSERT INTO home_entries (account_id, post_id, author_id) VALUES \(rows.joined(separator: ", ")) ON CONFLICT DO NOTHING"
    }

    static func insertInteractions(_ interactions: ArraySlice<InteractionStore.Interaction>) -> SQLQueryString {
        let rows: [SQLQueryString] = interactions.map {
            "(\(bind: $0.eventId), \(bind: $0.viewer.rawValue), \(bind: $0.author.rawValue), \(bind: $0.weight), \(bind: $0.at))"
        }
        return "INSERT INTO feed_interactions (event_id, viewer_id, author_id, weight, created_at) VALUES \(rows.joined(separator: ", "))"
    }

    static func insertImpressions(_ impressions: ArraySlice<Impression>) -> SQLQueryString {
        let rows: [SQLQueryString] = impressions.map {
            let f = $0.features
            return """
                (\(bind: $0.reader.rawValue), \(bind: $0.post.rawValue), \(bind: $0.author.rawValue), \(bind: f.kind.rawValue), \
                \(bind: $0.shownAt), \(bind: Int64($0.dwellMs)), \(bind: f.affinity), \(bind: f.age), \(bind: f.velocity), \
                \(bind: f.kindRate), \(bind: $0.engagedAt))
                """
        }
        return """
            INSERT INTO feed_impressions (account_id, post_id, author_id, kind, shown_at, dwell_ms, affinity, age, velocity, kind_rate, engaged_at)
            VALUES \(rows.joined(separator: ", ")) ON CONFLICT DO NOTHING
            """
    }

    static func homesHolding(_ post: PostID, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS homes FROM home_entries WHERE post_id = \(bind: post.rawValue)").first()?
            .decode(column: "homes", as: Int.self) ?? 0
    }
}
