import EntativaModels
import Foundation
import Posts

/// The weight of each term of the ranked order (`ENTATIVA_FEED_RANKING_WEIGHTS`).
public struct RankingWeights: Sendable, Equatable {
    public var recency = 0.4
    public var engagement = 0.3
    public var affinity = 0.2
    public var model = 0.1

    public init() {}

    /// `recency=0.4,engagement=0.3,affinity=0.2,model=0.1`; names left out keep their defaults.
    public init?(_ text: String) {
        self.init()
        for part in text.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, let value = Double(pair[1]), value.isFinite, (0...1).contains(value) else { return nil }
            switch pair[0] {
            case "recency": recency = value
            case "engagement": engagement = value
            case "affinity": affinity = value
            case "model": model = value
            default: return nil
            }
        }
    }
}

/// The ranked order's score (docs/feed.md has the formula with a worked example):
///
///     recency    = 2 ^ (−age ÷ 6 h)
///     engagement = ln(1 + raw) ÷ ln(1 + the window's largest raw)      (raw as in the engagement order)
///     affinity   = the reader's affinity with the author ÷ the largest in the window
///     score      = w_recency × recency + w_engagement × engagement + w_affinity × affinity
///                  + w_model × the model's predicted chance of engagement (once one is trained)
///     halved when the reader was already shown the post
///
/// Each term lies in 0…1, so the weights say how much each may move a post.
enum RankedFormula {
    static let recencyHalfLifeMillis: Double = 6 * 3_600_000

    struct Inputs {
        var now: Int64
        var affinity: [AccountID: Double]
        var friends: Set<AccountID>
        var weights: RankingWeights
        /// The model's prediction per post; empty when no model is trained.
        var predictions: [PostID: Double] = [:]
        /// Posts the reader was already shown.
        var seen: Set<PostID> = []
    }

    /// What a post already shown keeps of its score, so ranked pages do not repeat themselves.
    static let seenFactor = 0.5

    static func score(_ post: PostSignals, largestRaw: Int, largestAffinity: Double, inputs: Inputs) -> Double {
        let age = Double(max(0, inputs.now - post.createdAt))
        let recency = exp2(-age / recencyHalfLifeMillis)
        let engagement = largestRaw > 0 ? log1p(Double(EngagementFormula.raw(post))) / log1p(Double(largestRaw)) : 0
        let affinity = largestAffinity > 0 ? (inputs.affinity[post.author] ?? 0) / largestAffinity : 0
        let weights = inputs.weights
        let model = inputs.predictions[post.id].map { weights.model * $0 } ?? 0
        let score = weights.recency * recency + weights.engagement * engagement + weights.affinity * affinity + model
        return inputs.seen.contains(post.id) ? score * seenFactor : score
    }

    /// Highest score first; at equal scores friends' posts first (Entativa), then the newest.
    static func rank(_ posts: [PostSignals], inputs: Inputs) -> [PostSignals] {
        let largestRaw = posts.map(EngagementFormula.raw).max() ?? 0
        let largestAffinity = inputs.affinity.values.max() ?? 0
        let scored = posts.map {
            (post: $0, score: score($0, largestRaw: largestRaw, largestAffinity: largestAffinity, inputs: inputs), friend: inputs.friends.contains($0.author))
        }
        return scored.sorted { a, b in
            if a.score != b.score { return a.score > b.score }
            if a.friend != b.friend { return a.friend }
            return a.post.id > b.post.id
        }.map(\.post)
    }
}
