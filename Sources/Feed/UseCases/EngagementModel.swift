import Foundation
import Posts

/// What the engagement model knows about one post shown to one reader, each scaled to 0…1.
struct EngagementFeatures: Sendable, Equatable {
    /// The reader's affinity with the author, a ÷ (1 + a).
    var affinity: Double
    /// The post's age when shown: ln(1 + hours) ÷ ln(1 + 168), at most 1.
    var age: Double
    /// Early engagement velocity: ln(1 + raw engagement per hour of age, the first hour counting
    /// whole) ÷ ln(101), at most 1.
    var velocity: Double
    var kind: PostKind
    /// How often the reader engaged with posts of this kind shown in the last 30 days, smoothed:
    /// (engaged + 1) ÷ (shown + 2), so a reader with no history sits at ½.
    var kindRate: Double

    static let count = 6

    init(affinity: Double, age: Double, velocity: Double, kind: PostKind, kindRate: Double) {
        self.affinity = affinity
        self.age = age
        self.velocity = velocity
        self.kind = kind
        self.kindRate = kindRate
    }

    init(post: PostSignals, affinity rawAffinity: Double, kindRate: Double, now: Int64) {
        let hours = Double(max(0, now - post.createdAt)) / 3_600_000
        affinity = rawAffinity / (1 + rawAffinity)
        age = min(1, log1p(hours) / log1p(168))
        velocity = min(1, log1p(Double(EngagementFormula.raw(post)) / max(1, hours)) / log(101))
        kind = post.kind
        self.kindRate = kindRate
    }

    /// The model's inputs; text is the kind the two kind indicators are measured against.
    var vector: [Double] {
        [affinity, age, velocity, kind == .media ? 1 : 0, kind == .share ? 1 : 0, kindRate]
    }

    static func kindRate(engaged: Int, shown: Int) -> Double {
        Double(engaged + 1) / Double(shown + 2)
    }
}

/// A logistic regression of "the reader engaged with the post within a day of seeing it" on
/// `EngagementFeatures`: p = σ(bias + Σ wᵢ xᵢ).
struct EngagementModel: Sendable, Equatable {
    var bias: Double
    var weights: [Double]

    func probability(_ features: EngagementFeatures) -> Double {
        Self.sigmoid(bias + zip(weights, features.vector).reduce(0) { $0 + $1.0 * $1.1 })
    }

    static func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }

    /// Fits by full-batch gradient descent on the mean log loss with a small L2 penalty, from
    /// zero weights: deterministic, so the same samples give the same model.
    static func train(_ samples: [(features: EngagementFeatures, engaged: Bool)], epochs: Int = 800, rate: Double = 1.0, l2: Double = 0.001)
        -> EngagementModel
    {
        var model = EngagementModel(bias: 0, weights: Array(repeating: 0, count: EngagementFeatures.count))
        guard !samples.isEmpty else { return model }
        let inputs = samples.map { ($0.features.vector, $0.engaged ? 1.0 : 0.0) }
        let n = Double(inputs.count)
        for _ in 0..<epochs {
            var gradient = Array(repeating: 0.0, count: EngagementFeatures.count)
            var biasGradient = 0.0
            for (x, y) in inputs {
                let error = sigmoid(model.bias + zip(model.weights, x).reduce(0) { $0 + $1.0 * $1.1 }) - y
                biasGradient += error
                for i in x.indices { gradient[i] += error * x[i] }
            }
            model.bias -= rate * biasGradient / n
            for i in model.weights.indices {
                model.weights[i] -= rate * (gradient[i] / n + l2 * model.weights[i])
            }
        }
        return model
    }

    /// The area under the ROC curve: the chance that a random engaged sample scores above a
    /// random ignored one, ties counting half (Mann–Whitney). Nil without both kinds.
    static func auc(scores: [(score: Double, engaged: Bool)]) -> Double? {
        let positives = scores.filter(\.engaged).count
        let negatives = scores.count - positives
        guard positives > 0, negatives > 0 else { return nil }
        let sorted = scores.sorted { $0.score < $1.score }
        var rankSum = 0.0
        var start = 0
        while start < sorted.count {
            var end = start
            while end + 1 < sorted.count, sorted[end + 1].score == sorted[start].score { end += 1 }
            // Tied scores share the mean of their ranks (1-based).
            let rank = Double(start + end + 2) / 2
            rankSum += rank * Double(sorted[start...end].filter(\.engaged).count)
            start = end + 1
        }
        let p = Double(positives)
        return (rankSum - p * (p + 1) / 2) / (p * Double(negatives))
    }

    private struct Stored: Codable {
        var bias: Double
        var weights: [Double]
    }

    /// Stored as JSON, `{"bias":b,"weights":[w…]}`; Swift's encoder writes each number so that
    /// it reads back exactly.
    var json: String {
        let data = try? JSONEncoder().encode(Stored(bias: bias, weights: weights))
        return data.flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    }

    init(bias: Double, weights: [Double]) {
        self.bias = bias
        self.weights = weights
    }

    init?(json: String) {
        guard let stored = try? JSONDecoder().decode(Stored.self, from: Data(json.utf8)), stored.weights.count == EngagementFeatures.count,
            stored.bias.isFinite, stored.weights.allSatisfy(\.isFinite)
        else { return nil }
        self.init(bias: stored.bias, weights: stored.weights)
    }
}
