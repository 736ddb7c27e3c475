import EntativaCore
import EntativaModels

/// Views reported by clients in batches. A viewer counts once a day per Take; within that day
/// their reports add watch time and rewatches (each bounded) and keep the furthest point
/// reached. Reports about the viewer's own Takes, or Takes they may not see now, are dropped.
struct TakeViews: Sendable {
    let env: TakesEnvironment

    static let dayMillis: Int64 = 86_400_000
    /// Watch time one viewer adds to a Take in a day, in lengths of the Take.
    static let maxWatchLengths: Int64 = 10

    func record(_ form: TakeViewsRequest, viewer: Principal) async throws -> TakeViewsResult {
        var validator = Validator()
        validator.check(
            (1...TakeViewsRequest.maxViews).contains(form.views.count), "views", "out_of_range",
            "must hold from 1 to \(TakeViewsRequest.maxViews) reports")
        for (index, report) in form.views.enumerated() {
            let field = "views[\(index)]"
            validator.check(
                (0...TakeViewsRequest.maxWatchMs).contains(report.watchMs), "\(field).watch_ms", "out_of_range",
                "must be from 0 to \(TakeViewsRequest.maxWatchMs)")
            validator.check(
                report.completion.isFinite && (0...1).contains(report.completion), "\(field).completion", "out_of_range", "must be from 0 to 1")
            if let rewatches = report.rewatches {
                validator.check(
                    (0...TakeViewsRequest.maxRewatches).contains(rewatches), "\(field).rewatches", "out_of_range",
                    "must be from 0 to \(TakeViewsRequest.maxRewatches)")
            }
        }
        try validator.validate()

        let ids = Array(Set(form.views.map(\.takeId)))
        let rows = Dictionary(uniqueKeysWithValues: try await TakeStore.live(ids, on: env.database.sql).map { ($0.postId, $0) })
        let visible = try await env.visiblePosts(Array(rows.keys), viewer: viewer)
        let reports = form.views.filter { visible.contains($0.takeId) && rows[$0.takeId]?.authorId != viewer.accountID }
        let now = env.now
        let day = now / Self.dayMillis
        let reader = viewer.accountID
        let forUpdate = env.database.forUpdate
        let newViews = try await env.database.transaction { db in
            var newViews = 0
            // One order for every batch, so two batches never wait on each other's rows.
            for report in reports.sorted(by: { $0.takeId < $1.takeId }) {
                guard let take = rows[report.takeId] else { continue }
                let cap = take.durationMs * Self.maxWatchLengths
                let completion = Int((report.completion * 1000).rounded())
                let rewatches = report.rewatches ?? 0
                let opened = try await ViewStore.open(take: report.takeId, viewer: reader, day: day, now: now, on: db)
                guard let old = try await ViewStore.find(take: report.takeId, viewer: reader, day: day, on: db, lock: forUpdate) else { continue }
                let updated = ViewStore.ViewRow(
                    watchMs: min(cap, old.watchMs + Int64(report.watchMs)), completion: max(old.completion, completion),
                    rewatches: min(TakeViewsRequest.maxRewatches, old.rewatches + rewatches))
                try await ViewStore.update(take: report.takeId, viewer: reader, day: day, view: updated, on: db)
                try await ViewStore.bump(
                    take: report.takeId, views: opened ? 1 : 0, completion: updated.completion - old.completion, rewatches: updated.rewatches - old.rewatches,
                    watchMs: updated.watchMs - old.watchMs, on: db)
                if opened { newViews += 1 }
            }
            return newViews
        }
        return TakeViewsResult(accepted: reports.count, newViews: newViews)
    }
}
