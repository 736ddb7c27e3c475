import EntativaCore
import EntativaModels
import Foundation
import Posts

/// Vignette's surprise feed: public posts of the last 7 days from outside my network, found two
/// ways — by accounts that accounts I follow follow (the newest 500 of their posts), and by the
/// hashtags whose use grew most in the last day (the newest 500 using them). Each is scored by
/// explore's velocity, boosted by why it was found:
///
///     score = raw ÷ (hours old + 2) ^ 1.5 × (1 + ln(1 + accounts I follow who follow the author))
///                                        or × (1 + ln growth of its hashtag), the larger
///
/// My own posts, posts by anyone I follow, befriended, muted or blocked, shares and posts I was
/// already shown are left out; at most two of one author stay in a ranking.
struct Surprise: Sendable {
    let env: FeedEnvironment

    static let windowPosts = 500
    static let growingTags = 5
    static let minimumTagUses = 3

    func read(viewer: Principal, cursor: RankedCursor?, limit: Int) async throws -> Page<SurpriseItem> {
        guard env.kernel.config.platform == .vignette else { throw AppError.notFound("route") }
        let reader = viewer.accountID
        let rankedAt = cursor?.rankedAt ?? env.kernel.clock.nowMillis()
        let since = rankedAt - Explore.horizonMillis
        let secondDegree = try await env.graph.secondDegree(of: reader)
        let followedBy = Dictionary(secondDegree.map { ($0.account, $0.followedBy) }, uniquingKeysWith: max)
        let authored = try await env.posts.newest(byAny: secondDegree.map(\.account), before: cursor.map { PostID(rawValue: $0.top.rawValue + 1) }, limit: Self.windowPosts)
        let tags = try await env.posts.growingHashtags(now: rankedAt, minimumUses: Self.minimumTagUses, limit: Self.growingTags)
        let growth = Dictionary(tags.map { ($0.tag, $0.growth) }, uniquingKeysWith: max)
        let tagged = try await env.posts.newest(taggedWithAny: tags.map(\.tag), since: since, atOrBelow: cursor?.top, limit: Self.windowPosts)
        let tagOf = Dictionary(tagged.map { ($0.post, $0.tag) }, uniquingKeysWith: { first, _ in first })
        let ids = Array(Set(authored.map(\.id) + tagged.map(\.post)))
        // The network is decided now: anyone I follow or befriended is not a surprise.
        let network = try await env.graph.sources(of: reader)
        let candidates = try await env.posts.visibleSignals(of: ids, viewer: viewer).filter {
            $0.createdAt >= since && $0.author != reader && $0.kind != .share && !network.contains($0.author)
        }
        let muted = try await env.graph.muted(by: reader, among: Array(Set(candidates.map(\.author))))
        let seen = try await env.history.seen(by: reader, among: candidates.map(\.id))
        let fresh = candidates.filter { !muted.contains($0.author) && !seen.contains($0.id) }
        let ranked = Self.rank(fresh, now: rankedAt, followedBy: followedBy, tagOf: tagOf, growth: growth)
        guard let top = cursor?.top ?? ranked.map(\.post.id).max() else { return Page(items: [], nextCursor: nil) }
        let offset = cursor?.offset ?? 0
        let shown = Array(ranked.dropFirst(offset).prefix(limit))
        let posts = try await env.posts.render(shown.map(\.post.id), viewer: viewer)
        let reasons = Dictionary(uniqueKeysWithValues: shown.map { ($0.post.id, $0.reason) })
        let items = posts.compactMap { post in reasons[post.id].map { SurpriseItem(post: post, reason: $0) } }
        let next = offset + limit < ranked.count ? RankedCursor(top: top, rankedAt: rankedAt, offset: offset + limit) : nil
        return Page(items: items, nextCursor: next?.text)
    }

    static func rank(
        _ posts: [PostSignals], now: Int64, followedBy: [AccountID: Int], tagOf: [PostID: String], growth: [String: Double]
    ) -> [(post: PostSignals, reason: SurpriseReason)] {
        let scored = posts.compactMap { post -> (post: PostSignals, score: Double, reason: SurpriseReason)? in
            let (raw, _, velocity) = Explore.velocity(of: post, now: now)
            var best: (boost: Double, reason: SurpriseReason)?
            if let count = followedBy[post.author] {
                best = (1 + log1p(Double(count)), SurpriseReason(kind: .followedByFollowing, accounts: count, engagement: raw))
            }
            if let tag = tagOf[post.id], let rate = growth[tag], 1 + log(rate) > best?.boost ?? 0 {
                best = (1 + log(rate), SurpriseReason(kind: .growingHashtag, hashtag: tag, growth: rate, engagement: raw))
            }
            return best.map { (post, velocity * $0.boost, $0.reason) }
        }
        return Explore.highestFirst(scored)
    }
}
