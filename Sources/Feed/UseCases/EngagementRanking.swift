import EntativaCore
import EntativaModels
import Foundation
import Posts

/// The engagement order's score (docs/feed.md has the formula with a worked example):
///
///     raw        = reactions + 2 × comments + 3 × shares
///     normalised = ln(1 + raw) ÷ ln(1 + the largest raw in the window)   (0 when all are 0)
///     decay      = 2 ^ (−age ÷ 24 h)
///     score      = normalised × decay
///
/// The logarithm keeps one viral post from flattening every other score to zero; the decay
/// halves a post's weight each day, so yesterday's hit yields to today's.
enum EngagementFormula {
    static let halfLifeMillis: Double = 24 * 3_600_000

    static func raw(_ post: PostSignals) -> Int {
        post.reactions + 2 * post.comments + 3 * post.shares
    }

    static func score(_ post: PostSignals, largestRaw: Int, now: Int64) -> Double {
        guard largestRaw > 0 else { return 0 }
        let normalised = log1p(Double(raw(post))) / log1p(Double(largestRaw))
        let age = Double(max(0, now - post.createdAt))
        return normalised * exp2(-age / halfLifeMillis)
    }

    /// Highest score first; at equal scores friends' posts first (Entativa), then the newest.
    static func rank(_ posts: [PostSignals], now: Int64, friends: Set<AccountID>) -> [PostSignals] {
        let largest = posts.map(raw).max() ?? 0
        let scored = posts.map { (post: $0, score: score($0, largestRaw: largest, now: now), friend: friends.contains($0.author)) }
        return scored.sorted { a, b in
            if a.score != b.score { return a.score > b.score }
            if a.friend != b.friend { return a.friend }
            return a.post.id > b.post.id
        }.map(\.post)
    }
}

/// Where a ranked page resumes: the window it ranks (posts at or below `top`), the instant its
/// scores were computed at, and how many of its posts earlier pages showed. Written
/// `<top>-<ranked at ms>-<offset>`. Posts published after the first page stay out of the
/// window, so paging neither repeats nor skips because of them.
public struct RankedCursor: Sendable, Equatable {
    public var top: PostID
    public var rankedAt: Int64
    public var offset: Int

    static let maxOffset = 10_000

    public var text: String { "\(top)-\(rankedAt)-\(offset)" }

    public init(top: PostID, rankedAt: Int64, offset: Int) {
        self.top = top
        self.rankedAt = rankedAt
        self.offset = offset
    }

    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        // The window reads below top + 1, so the largest ID would overflow.
        guard parts.count == 3, let top = PostID(String(parts[0])), top.rawValue < Int64.max,
            let rankedAt = OutsideInteger.parse(String(parts[1]), in: OutsideInteger.positive),
            let offset = OutsideInteger.parseInt(String(parts[2]), in: 0...Self.maxOffset)
        else { return nil }
        self.init(top: top, rankedAt: rankedAt, offset: offset)
    }
}
