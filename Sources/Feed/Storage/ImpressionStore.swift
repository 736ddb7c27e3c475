import EntativaCore
import EntativaModels
import Posts
import SQLKit

/// The SQL of impressions (what readers were shown) and of trained models.
enum ImpressionStore {
    struct Impression: Sendable {
        var account: AccountID
        var post: PostID
        var author: AccountID
        var shownAt: Int64
        var dwellMs: Int?
        var features: EngagementFeatures
        /// Set by the engagement consumers later; only seeded impressions arrive with it.
        var engagedAt: Int64? = nil
    }

    /// Keeps the first showing of each post to each account; a repeat only lengthens the dwell.
    static func record(_ impressions: [Impression], on db: any SQLDatabase) async throws {
        guard !impressions.isEmpty else { return }
        try await db.raw(insert(impressions)).run()
        try await db.announceChanges(to: cacheName, keys: Set(impressions.map(\.account)).map(\.description))
    }

    /// Every change to an account's impressions announces the account to `ReaderHistory`; a
    /// new model announces itself.
    static let cacheName = "feed-impressions"
    static let modelCacheName = "feed-model"

    /// The statement `record` runs, for `impressions` (at least one).
    static func insert(_ impressions: some Collection<Impression>) -> SQLQueryString {
        let rows: [SQLQueryString] = impressions.map {
            let f = $0.features
            return """
                (\(bind: $0.account.rawValue), \(bind: $0.post.rawValue), \(bind: $0.author.rawValue), \(bind: f.kind.rawValue), \
                \(bind: $0.shownAt), \(bind: $0.dwellMs.map(Int64.init)), \(bind: f.affinity), \(bind: f.age), \(bind: f.velocity), \(bind: f.kindRate), \
                \(bind: $0.engagedAt))
                """
        }
        return """
            INSERT INTO feed_impressions (account_id, post_id, author_id, kind, shown_at, dwell_ms, affinity, age, velocity, kind_rate, engaged_at)
            VALUES \(rows.joined(separator: ", "))
            ON CONFLICT (account_id, post_id) DO UPDATE SET dwell_ms = CASE
                WHEN feed_impressions.dwell_ms IS NULL OR excluded.dwell_ms > feed_impressions.dwell_ms THEN excluded.dwell_ms
                ELSE feed_impressions.dwell_ms END
            """
    }

    /// Marks that `account` engaged with `post` (the first time counts), if it was shown it.
    static func markEngaged(_ pairs: [(account: AccountID, post: PostID)], at: Int64, on db: any SQLDatabase) async throws {
        for pair in pairs {
            try await db.raw("""
                UPDATE feed_impressions SET engaged_at = \(bind: at)
                WHERE account_id = \(bind: pair.account.rawValue) AND post_id = \(bind: pair.post.rawValue) AND engaged_at IS NULL
                """).run()
        }
        try await db.announceChanges(to: cacheName, keys: Set(pairs.map(\.account)).map(\.description))
    }

    /// The posts `account` has been shown, up to `limit` of them, newest showing first.
    static func shown(to account: AccountID, limit: Int, on db: any SQLDatabase) async throws -> [PostID] {
        try await db.raw("""
            SELECT post_id FROM feed_impressions WHERE account_id = \(bind: account.rawValue) ORDER BY shown_at DESC LIMIT \(bind: limit)
            """).all().map { try $0.decode(column: "post_id", as: PostID.self) }
    }

    /// How often `account` was shown and engaged with each kind of post since `since`, with
    /// the first and last showing counted.
    static func kindHistory(of account: AccountID, since: Int64, on db: any SQLDatabase) async throws -> KindHistory {
        let rows = try await db.raw("""
            SELECT kind, COUNT(*) AS shown, COUNT(engaged_at) AS engaged, MIN(shown_at) AS first, MAX(shown_at) AS last FROM feed_impressions
            WHERE account_id = \(bind: account.rawValue) AND shown_at >= \(bind: since)
            GROUP BY kind
            """).all()
        var history = KindHistory(kinds: [:], first: .max, last: .min)
        for row in rows {
            history.first = min(history.first, try row.decode(column: "first", as: Int64.self))
            history.last = max(history.last, try row.decode(column: "last", as: Int64.self))
            guard let kind = PostKind(rawValue: try row.decode(column: "kind", as: Int.self)) else { continue }
            history.kinds[kind] = (try row.decode(column: "shown", as: Int.self), try row.decode(column: "engaged", as: Int.self))
        }
        return history
    }

    struct KindHistory: Sendable {
        var kinds: [PostKind: (shown: Int, engaged: Int)]
        /// The first and last showing counted (`Int64.max` and `.min` when none was).
        var first: Int64
        var last: Int64
    }

    /// Which of `posts` `account` has been shown.
    static func seen(by account: AccountID, among posts: [PostID], on db: any SQLDatabase) async throws -> Set<PostID> {
        guard !posts.isEmpty else { return [] }
        var seen = Set<PostID>()
        for chunk in stride(from: 0, to: posts.count, by: 500).map({ Array(posts[$0..<min($0 + 500, posts.count)]) }) {
            let rows = try await db.raw("""
                SELECT post_id FROM feed_impressions
                WHERE account_id = \(bind: account.rawValue) AND post_id IN (\(binds: chunk.map(\.rawValue)))
                """).all()
            for row in rows { seen.insert(try row.decode(column: "post_id", as: PostID.self)) }
        }
        return seen
    }

    struct Labelled: Sendable {
        var account: AccountID
        var post: PostID
        var features: EngagementFeatures
        var engaged: Bool
    }

    /// Impressions shown within [from, to), labelled engaged when the account engaged within
    /// `labelWindow` of being shown; at most `limit`, newest first.
    static func labelled(from: Int64, to: Int64, labelWindow: Int64, limit: Int, on db: any SQLDatabase) async throws -> [Labelled] {
        try await db.raw("""
            SELECT account_id, post_id, kind, shown_at, affinity, age, velocity, kind_rate, engaged_at FROM feed_impressions
            WHERE shown_at >= \(bind: from) AND shown_at < \(bind: to)
            ORDER BY shown_at DESC LIMIT \(bind: limit)
            """).all().compactMap { row in
            guard let kind = PostKind(rawValue: try row.decode(column: "kind", as: Int.self)) else { return nil }
            let shownAt = try row.decode(column: "shown_at", as: Int64.self)
            let engagedAt = try row.decode(column: "engaged_at", as: Int64?.self)
            return Labelled(
                account: try row.decode(column: "account_id", as: AccountID.self), post: try row.decode(column: "post_id", as: PostID.self),
                features: EngagementFeatures(
                    affinity: try row.decode(column: "affinity", as: Double.self), age: try row.decode(column: "age", as: Double.self),
                    velocity: try row.decode(column: "velocity", as: Double.self), kind: kind,
                    kindRate: try row.decode(column: "kind_rate", as: Double.self)),
                engaged: engagedAt.map { $0 - shownAt <= labelWindow } ?? false)
        }
    }

    static func removeAll(of account: AccountID, on db: any SQLDatabase) async throws {
        try await db.raw("""
            DELETE FROM feed_impressions WHERE account_id = \(bind: account.rawValue) OR author_id = \(bind: account.rawValue)
            """).run()
        try await db.announceChange(to: cacheName, key: "*")
    }

    static func purge(before: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM feed_impressions WHERE shown_at < \(bind: before)").run()
        try await db.announceChange(to: cacheName, key: "*")
    }

    // MARK: Models

    struct StoredModel: Sendable {
        var version: Int
        var trainedAt: Int64
        var model: EngagementModel
        var auc: Double
        var trainingSamples: Int
        var heldOutSamples: Int
    }

    static func latestModel(on db: any SQLDatabase) async throws -> StoredModel? {
        guard
            let row = try await db.raw("""
                SELECT version, trained_at, weights, auc, training_samples, held_out_samples FROM feed_models ORDER BY version DESC LIMIT 1
                """).first(),
            let model = EngagementModel(json: try row.decode(column: "weights", as: String.self))
        else { return nil }
        return StoredModel(
            version: try row.decode(column: "version", as: Int.self), trainedAt: try row.decode(column: "trained_at", as: Int64.self), model: model,
            auc: try row.decode(column: "auc", as: Double.self), trainingSamples: try row.decode(column: "training_samples", as: Int.self),
            heldOutSamples: try row.decode(column: "held_out_samples", as: Int.self))
    }

    /// Stores a model as the next version; two trainers at once cannot take the same version
    /// (the second insert conflicts and its transaction fails, to be retried as a job).
    static func insertModel(_ model: EngagementModel, trainedAt: Int64, auc: Double, training: Int, heldOut: Int, on db: any SQLDatabase)
        async throws -> Int
    {
        let latest = try await db.raw("SELECT MAX(version) AS version FROM feed_models").first()?.decode(column: "version", as: Int?.self)
        let version = (latest ?? 0) + 1
        try await db.raw("""
            INSERT INTO feed_models (version, trained_at, weights, auc, training_samples, held_out_samples)
            VALUES (\(bind: version), \(bind: trainedAt), \(bind: model.json), \(bind: auc), \(bind: training), \(bind: heldOut))
            """).run()
        try await db.announceChange(to: modelCacheName, key: "*")
        return version
    }
}
