import EntativaCore
import EntativaModels
import Foundation
import Posts

/// Explore: public posts of the last 7 days, trending first. Within a window of the 1,000
/// newest that the viewer may see, posts are ranked by engagement velocity,
///
///     score = raw ÷ (hours old + 2) ^ 1.5      (raw = reactions + 2 × comments + 3 × shares)
///
/// so engagement counts for more the faster it came; posts without engagement follow, newest
/// first. Shares are left out (the original is what trends, and its shares count for it), as are
/// the viewer's own posts, muted authors and posts already shown to the viewer (an impression) — blocked ones never pass the visibility rule — and at most two
/// posts of one author are kept, so one prolific account cannot fill the page.
struct Explore: Sendable {
    let env: FeedEnvironment

    static let windowPosts = 1_000
    static let horizonMillis: Int64 = 7 * 24 * 3_600_000
    static let perAuthor = 2

    func read(viewer: Principal, cursor: RankedCursor?, limit: Int) async throws -> Page<ExploreItem> {
        let reader = viewer.accountID
        let rankedAt = cursor?.rankedAt ?? env.kernel.clock.nowMillis()
        let candidates = try await env.posts.newestPublic(since: rankedAt - Self.horizonMillis, atOrBelow: cursor?.top, limit: Self.windowPosts)
        guard let top = candidates.first else { return Page(items: [], nextCursor: nil) }
        let visible = try await env.posts.visibleSignals(of: candidates, viewer: viewer).filter { $0.author != reader && $0.kind != .share }
        let muted = try await env.graph.muted(by: reader, among: Array(Set(visible.map(\.author))))
        let seen = try await env.history.seen(by: reader, among: visible.map(\.id))
        let ranked = Self.rank(visible.filter { !muted.contains($0.author) && !seen.contains($0.id) }, now: rankedAt)
        let offset = cursor?.offset ?? 0
        let shown = Array(ranked.dropFirst(offset).prefix(limit))
        let posts = try await env.posts.render(shown.map(\.post.id), viewer: viewer)
        let reasons = Dictionary(uniqueKeysWithValues: shown.map { ($0.post.id, $0.reason) })
        let items = posts.compactMap { post in reasons[post.id].map { ExploreItem(post: post, reason: $0) } }
        let next = offset + limit < ranked.count ? RankedCursor(top: cursor?.top ?? top, rankedAt: rankedAt, offset: offset + limit) : nil
        return Page(items: items, nextCursor: next?.text)
    }

    /// Highest velocity first, then the newest; an author's third and later posts are dropped.
    static func rank(_ posts: [PostSignals], now: Int64) -> [(post: PostSignals, reason: ExploreReason)] {
        let scored = posts.map { post -> (post: PostSignals, score: Double, reason: ExploreReason) in
            let (raw, hours, score) = velocity(of: post, now: now)
            let reason = ExploreReason(kind: raw > 0 ? .trending : .new, engagement: raw, perHour: Double(raw) / max(1, hours))
            return (post, score, reason)
        }
        return highestFirst(scored)
    }

    /// raw ÷ (hours old + 2) ^ 1.5, with the raw engagement and the age in hours it came from.
    static func velocity(of post: PostSignals, now: Int64) -> (raw: Int, hours: Double, score: Double) {
        let raw = EngagementFormula.raw(post)
        let hours = Double(max(0, now - post.createdAt)) / 3_600_000
        return (raw, hours, Double(raw) / pow(hours + 2, 1.5))
    }

    /// Highest score first, then newest, an author's posts past the first `perAuthor` dropped:
    /// the order explore and the surprise feed share.
    static func highestFirst<Reason>(_ scored: [(post: PostSignals, score: Double, reason: Reason)]) -> [(post: PostSignals, reason: Reason)] {
        var kept: [AccountID: Int] = [:]
        return scored.sorted { a, b in a.score != b.score ? a.score > b.score : a.post.id > b.post.id }
            .filter { item in
                kept[item.post.author, default: 0] += 1
                return kept[item.post.author, default: 0] <= perAuthor
            }
            .map { ($0.post, $0.reason) }
    }
}
