import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// The scheduled clean-up: media nobody attached within a day, encrypted attachments after
/// 30 days, and tus uploads that expired.
public struct MediaCollector: Sendable {
    let env: MediaEnvironment
    static let job = JobDefinition<CollectRequest>("media.collect", maxAttempts: 3)

    struct CollectRequest: Codable, Sendable {}

    public init(env: MediaEnvironment) { self.env = env }

    /// Deletes what is due; answers how many media and uploads went.
    @discardableResult
    public func collect() async throws -> (media: Int, uploads: Int) {
        let database = env.kernel.database.sql
        let cutoff = env.now - env.settings.unattachedMediaLifetime.milliseconds
        let encryptedCutoff = env.now - env.policy.encryptedLifetimeMillis
        var media = 0
        while true {
            var batch = try await MediaStore.unattached(before: cutoff, limit: 100, on: database)
            if batch.isEmpty { batch = try await MediaStore.expiredEncrypted(before: encryptedCutoff, limit: 100, on: database) }
            if batch.isEmpty { break }
            for id in batch {
                // Blobs first: a crash in between leaves a row that the next run deletes again.
                try await env.blobs.deleteAll(prefix: MediaLocation.prefix(id))
                try await MediaStore.delete(id, on: database)
                media += 1
            }
        }
        let uploads = try await UploadStore.expired(before: env.now, on: database)
        for upload in uploads {
            try? FileManager.default.removeItem(at: env.uploadRoot.appendingPathComponent("\(upload)"))
            try await UploadStore.delete(upload, on: database)
        }
        return (media, uploads.count)
    }

    func registerJobs() throws {
        let collector = self
        env.kernel.jobs.register(Self.job) { _ in try await collector.collect() }
        try env.kernel.jobs.every(Self.job, interval: .seconds(3600), payload: CollectRequest())
    }
}
