import EntativaModels
import Foundation
import Posts

/// The Takes feed's score (docs/takes.md), from a Take's counters, its post's engagement, the
/// reader's affinity with its author, and the trend boost:
///
///     completion = (Σ furthest point reached + 1) ÷ (views + 2)         smoothed toward ½
///     rewatch    = min(1, Σ rewatches ÷ (views + 2))
///     velocity   = v ÷ (v + 1),  v = (reactions + 2 × comments + 3 × shares) ÷ (hours old + 2)
///     affinity   = a ÷ (a + 1),  a = the reader's decayed interaction weight with the author
///     score      = (w_c × completion + w_r × rewatch + w_v × velocity + w_a × affinity) × (1 + boost)
///     boost      = trend_boost × min(1, joins in the last day ÷ saturation), for the origin Take
///                  of a growing trend; 0 otherwise
///
/// Every term is in [0, 1] on its own, so pages rank the same whatever else is in the window.
struct TakeRanking: Sendable {
    var weights: TakeFeedWeights
    var trendBoost: Double
    var boostSaturation: Int

    struct Inputs: Sendable {
        var views: Int64
        var completionSum: Int64
        var rewatchSum: Int64
        var signals: PostSignals?
        var affinity: Double
        /// Joins in the last day of the growing trend this Take started, if any.
        var trendJoins: Int64?
    }

    struct Scored: Sendable {
        var score: Double
        var completion: Double
        var rewatch: Double
        var velocity: Double
        var affinity: Double
        var boost: Double
    }

    func score(_ inputs: Inputs, createdAt: Int64, now: Int64) -> Scored {
        let views = Double(max(0, inputs.views))
        let completion = min(1, (Double(max(0, inputs.completionSum)) / 1000 + 1) / (views + 2))
        let rewatch = min(1, Double(max(0, inputs.rewatchSum)) / (views + 2))
        var velocity = 0.0
        if let post = inputs.signals {
            let raw = Double(post.reactions + 2 * post.comments + 3 * post.shares)
            let hours = Double(max(0, now - createdAt)) / 3_600_000
            let perHour = raw / (hours + 2)
            velocity = perHour / (perHour + 1)
        }
        let affinity = max(0, inputs.affinity) / (max(0, inputs.affinity) + 1)
        let boost = boost(joinsLastDay: inputs.trendJoins)
        let base = weights.completion * completion + weights.rewatch * rewatch + weights.velocity * velocity + weights.affinity * affinity
        return Scored(score: base * (1 + boost), completion: completion, rewatch: rewatch, velocity: velocity, affinity: affinity, boost: boost)
    }

    func boost(joinsLastDay: Int64?) -> Double {
        guard let joins = joinsLastDay, joins > 0 else { return 0 }
        return trendBoost * min(1, Double(joins) / Double(max(1, boostSaturation)))
    }
}

extension TakeRanking {
    init(settings: TakesSettings) {
        self.init(weights: settings.weights, trendBoost: settings.trendBoost, boostSaturation: settings.trendBoostSaturation)
    }
}
