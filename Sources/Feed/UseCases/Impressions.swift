import EntativaCore
import EntativaModels
import Posts

/// What readers were shown: recorded in batches by clients, labelled when the reader engages
/// with the post (a reaction, a comment or a share), used to sink posts already seen in ranked
/// pages and to train the engagement model.
struct Impressions: Sendable {
    let env: FeedEnvironment

    /// Impressions older than this are purged daily; the model trains on the last 30 days.
    static let retentionMillis: Int64 = 30 * 24 * 3_600_000

    struct Purge: Codable, Sendable {}
    static let purgeJob = JobDefinition<Purge>("feed.purge_impressions", maxAttempts: 5)

    func record(_ form: RecordImpressionsRequest, viewer: Principal) async throws -> ImpressionReceipt {
        var validator = Validator()
        validator.check(
            (1...RecordImpressionsRequest.maxImpressions).contains(form.impressions.count), "impressions", "length",
            "must hold 1–\(RecordImpressionsRequest.maxImpressions) impressions")
        for (index, report) in form.impressions.enumerated() {
            if let dwell = report.dwellMs {
                validator.check(
                    (0...ImpressionReport.maxDwellMs).contains(dwell), "impressions[\(index)].dwell_ms", "range",
                    "must be 0–\(ImpressionReport.maxDwellMs) milliseconds")
            }
        }
        try validator.validate()

        let reader = viewer.accountID
        let now = env.kernel.clock.nowMillis()
        // The longest dwell of a post reported twice in one batch.
        var dwell: [PostID: Int?] = [:]
        for report in form.impressions {
            let known = dwell[report.postId] ?? nil
            dwell[report.postId] = [known, report.dwellMs].compactMap { $0 }.max()
        }
        let ids = form.impressions.map(\.postId).reduce(into: [PostID]()) { if !$0.contains($1) { $0.append($1) } }
        // Posts the reader may not see are ignored: an impression is no way to learn of one.
        let posts = try await env.posts.visibleSignals(of: ids, viewer: viewer).filter { $0.author != reader }
        let affinity = try await env.history.affinity(of: reader, with: Set(posts.map(\.author)), now: now)
        let history = try await env.history.kindHistory(of: reader, now: now)
        let impressions = posts.map { post in
            let past = history[post.kind] ?? (0, 0)
            return ImpressionStore.Impression(
                account: reader, post: post.id, author: post.author, shownAt: now, dwellMs: dwell[post.id] ?? nil,
                features: EngagementFeatures(
                    post: post, affinity: affinity[post.author] ?? 0, kindRate: EngagementFeatures.kindRate(engaged: past.engaged, shown: past.shown),
                    now: now))
        }
        try await env.database.transaction { db in try await ImpressionStore.record(impressions, on: db) }
        return ImpressionReceipt(recorded: impressions.count, ignored: form.impressions.count - impressions.count)
    }

    func subscribe() {
        let (events, database, clock) = (env.kernel.events, env.database, env.kernel.clock)
        events.subscribeBatch(PostReacted.self, consumer: "feed.impression_reactions", maxBatch: 100) { batch in
            let pairs = batch.filter { $0.0.commentId == nil }.map { (account: $0.0.reactorId, post: $0.0.postId) }
            try await database.transaction { db in try await ImpressionStore.markEngaged(pairs, at: clock.nowMillis(), on: db) }
        }
        events.subscribeBatch(PostCommented.self, consumer: "feed.impression_comments", maxBatch: 100) { batch in
            let pairs = batch.map { (account: $0.0.authorId, post: $0.0.postId) }
            try await database.transaction { db in try await ImpressionStore.markEngaged(pairs, at: clock.nowMillis(), on: db) }
        }
        events.subscribeBatch(PostShared.self, consumer: "feed.impression_shares", maxBatch: 100) { batch in
            let pairs = batch.map { (account: $0.0.sharerId, post: $0.0.originalId) }
            try await database.transaction { db in try await ImpressionStore.markEngaged(pairs, at: clock.nowMillis(), on: db) }
        }
    }

    func registerJobs() throws {
        let (database, clock) = (env.database, env.kernel.clock)
        env.kernel.jobs.register(Self.purgeJob) { _ in
            try await database.transaction { db in try await ImpressionStore.purge(before: clock.nowMillis() - Self.retentionMillis, on: db) }
        }
        try env.kernel.jobs.every(Self.purgeJob, interval: .seconds(24 * 3600), payload: Purge())
    }
}
