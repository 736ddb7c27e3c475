import EntativaCore
import EntativaModels
import Foundation

/// Trains the engagement model on recorded impressions: those shown between 30 days and one day
/// ago (a day is how long an impression waits for its label), newest first up to
/// `ENTATIVA_FEED_MODEL_MAX_SAMPLES`. One in five, chosen by a hash of reader and post, is held
/// out to measure the model's AUC; the rest train it. A model is stored, as the next version,
/// only when there are enough samples of both labels to learn from and to measure it.
public struct ModelTraining: Sendable {
    let env: FeedEnvironment

    public init(env: FeedEnvironment) { self.env = env }

    static let labelWindowMillis: Int64 = 24 * 3_600_000

    struct Train: Codable, Sendable {}
    static let trainJob = JobDefinition<Train>("feed.train_model", maxAttempts: 3)

    public enum Outcome: Sendable, Equatable {
        case trained(version: Int, auc: Double, training: Int, heldOut: Int)
        /// Too few impressions, or not both labels on each side of the split.
        case notEnoughData(impressions: Int, engaged: Int)
    }

    func registerJobs() throws {
        let training = self
        env.kernel.jobs.register(Self.trainJob) { _ in _ = try await training.train() }
        try env.kernel.jobs.every(Self.trainJob, interval: .seconds(Int64(env.settings.modelTrainingHours) * 3600), payload: Train())
    }

    public func train() async throws -> Outcome {
        let now = env.kernel.clock.nowMillis()
        let samples = try await ImpressionStore.labelled(
            from: now - Impressions.retentionMillis, to: now - Self.labelWindowMillis, labelWindow: Self.labelWindowMillis,
            limit: env.settings.modelMaxSamples, on: env.database.sql)
        let engaged = samples.filter(\.engaged).count
        var (training, heldOut) = ([ImpressionStore.Labelled](), [ImpressionStore.Labelled]())
        for sample in samples {
            if Self.isHeldOut(sample) { heldOut.append(sample) } else { training.append(sample) }
        }
        let bothLabels = { (set: [ImpressionStore.Labelled]) in set.contains(where: \.engaged) && set.contains(where: { !$0.engaged }) }
        guard samples.count >= env.settings.modelMinSamples, bothLabels(training), bothLabels(heldOut) else {
            return .notEnoughData(impressions: samples.count, engaged: engaged)
        }
        let model = EngagementModel.train(training.map { ($0.features, $0.engaged) })
        guard let auc = EngagementModel.auc(scores: heldOut.map { (model.probability($0.features), $0.engaged) }) else {
            return .notEnoughData(impressions: samples.count, engaged: engaged)
        }
        let (trainingCount, heldOutCount) = (training.count, heldOut.count)
        let version = try await env.database.transaction { db in
            try await ImpressionStore.insertModel(model, trainedAt: now, auc: auc, training: trainingCount, heldOut: heldOutCount, on: db)
        }
        env.kernel.logger.info(
            "engagement model trained", metadata: ["version": "\(version)", "auc": "\(auc)", "training": "\(trainingCount)", "held_out": "\(heldOutCount)"])
        return .trained(version: version, auc: auc, training: trainingCount, heldOut: heldOutCount)
    }

    /// One in five (reader, post) pairs, the same ones on every run.
    static func isHeldOut(_ sample: ImpressionStore.Labelled) -> Bool {
        var mixed = UInt64(bitPattern: sample.account.rawValue) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(bitPattern: sample.post.rawValue)
        mixed ^= mixed >> 31
        mixed = mixed &* 0xBF58_476D_1CE4_E5B9
        mixed ^= mixed >> 29
        return mixed % 5 == 0
    }
}
