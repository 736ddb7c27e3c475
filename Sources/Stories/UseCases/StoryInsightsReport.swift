import EntativaCore
import EntativaModels
import Foundation

/// A story's numbers for its author, and the navigation clients report.
public struct StoryInsightsReport: Sendable {
    let env: StoriesEnvironment

    public init(env: StoriesEnvironment) { self.env = env }

    /// One viewer's views of one story count at most this often, and each navigation action as
    /// often: a client that loops cannot inflate a story's numbers.
    static let maxViewsPerViewer = 10
    static let maxActionsPerViewer = 20

    /// Counts what the caller did on stories they may watch now; events on their own stories or
    /// on ones they may not watch are dropped, and the answer says how many were kept.
    public func navigate(_ form: StoryNavigationRequest, caller: Principal) async throws -> StoryNavigationResult {
        var validator = Validator()
        validator.check(
            (1...StoryNavigationRequest.maxEvents).contains(form.events.count), "events", "count",
            "must hold 1–\(StoryNavigationRequest.maxEvents) events")
        try validator.validate()
        let rows = try await StoryStore.find(Array(Set(form.events.map(\.storyId))), on: env.database.sql)
        let context = try await StoryAccess(env: env).context(for: rows, viewer: caller)
        let watchable = Set(rows.filter { $0.authorId != caller.accountID && context.canSee($0) }.map(\.id))
        var counts: [StoryID: [StoryNavigationAction: Int]] = [:]
        var accepted = 0
        for event in form.events where watchable.contains(event.storyId) {
            counts[event.storyId, default: [:]][event.action, default: 0] += 1
            accepted += 1
        }
        let env = self.env
        let tallies = counts
        if !tallies.isEmpty {
            try await env.database.transaction { db in
                let present = try await StoryStore.existing(Array(tallies.keys), on: db, lock: env.database.forShare)
                for (story, actions) in tallies.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where present.contains(story) {
                    for (action, count) in actions.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                        try await InsightStore.navigate(
                            story: story, viewer: caller.accountID, action: action, count: count, cap: Self.maxActionsPerViewer, on: db)
                    }
                }
            }
        }
        return StoryNavigationResult(accepted: accepted)
    }

    /// The numbers of one of my stories, live or archived. Nobody else may ask (404).
    public func insights(of id: StoryID, caller: Principal) async throws -> StoryInsights {
        let db = env.database.sql
        let story = try await StoryAccess(env: env).own(id, caller: caller, on: db)
        let views = try await InsightStore.viewTotals(of: id, on: db)
        let peak = try await InsightStore.peakHour(of: id, on: db)
        let answers = try await InsightStore.answersByKind(of: id, on: db)
        let replies = try await InsightStore.replies(to: id, on: db)
        let navigation = try await InsightStore.navigation(of: id, on: db)
        let audience = Int(story.audienceSize)
        let interactions = answers.values.reduce(0, +) + replies
        return StoryInsights(
            storyId: id, totalViews: views.views ?? 0, uniqueViewers: views.viewers, audienceSize: audience,
            reachPercent: audience > 0 ? Self.percent(views.viewers, of: audience) : nil,
            interactionRatePercent: views.viewers > 0 ? Self.percent(interactions, of: views.viewers) : nil,
            peakHour: peak.map { Date(millisecondsSince1970: $0.hour * 3_600_000) }, peakHourViews: peak?.views ?? 0,
            stickerInteractions: answers, replies: replies, tapsForward: navigation[.forward] ?? 0, tapsBack: navigation[.back] ?? 0,
            exits: navigation[.exit] ?? 0)
    }

    /// `part` ÷ `whole` × 100, to one decimal.
    static func percent(_ part: Int, of whole: Int) -> Double {
        (Double(part) * 1000 / Double(whole)).rounded() / 10
    }
}
