import EntativaCore
import EntativaModels
import Foundation
import Logging

/// Emitted when processing ends either way, for the domains that show media (posts, stories,
/// messages) and for notifications.
public struct MediaProcessed: DomainEvent {
    public static let topic = "media.processed"
    public var mediaId: MediaID
    public var ownerId: AccountID
    public var state: MediaState
}

/// The `media.process` job: makes every rendition of one media item and stores it. Running it
/// again (after a crash, or by `entativa admin media reprocess`) redoes the work from the
/// stored source and overwrites what an earlier run left.
public struct MediaProcessing: Sendable {
    let env: MediaEnvironment

    public init(env: MediaEnvironment) { self.env = env }

    /// `progress` receives 0…1; the CLI draws its bar from it.
    public func process(_ id: MediaID, progress: (@Sendable (Double) -> Void)? = nil, isLastAttempt: Bool = true) async throws {
        let database = env.kernel.database.sql
        // Ciphertext is ready at upload: there is nothing in it to process.
        guard let row = try await MediaStore.find(id, on: database), row.kind != .encrypted else { return }
        try await MediaStore.setState(id, .processing, now: env.now, on: database)
        let work = env.workRoot.appendingPathComponent("\(id)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }

        let reporter = ProgressThrottle(env: env, id: id, forward: progress)
        let result: ProcessedMedia
        do {
            let source = work.appendingPathComponent("source")
            try await env.blobs.download(row.originalKey, to: source)
            let probe = try await env.tools.probe(source)
            switch row.kind {
            case .image:
                result = try await ImageProcessor(tools: env.tools).process(source, probe: probe, workDirectory: work)
            case .video:
                result = try await VideoProcessor(tools: env.tools).process(source, probe: probe, workDirectory: work) { await reporter.report($0) }
            case .audio:
                result = try await AudioProcessor(tools: env.tools).process(source, probe: probe, workDirectory: work) { await reporter.report($0) }
            case .encrypted:
                return
            }
        } catch let failure as MediaTools.Failure {
            // The file itself is the problem: retrying cannot help, so say why and stop.
            try await fail(row, reason: "Processing failed: \(failure.message)")
            return
        } catch {
            if isLastAttempt { try await fail(row, reason: "Processing failed: \(error)") }
            throw error
        }
        for file in result.files {
            try await env.blobs.put(MediaLocation.prefix(id) + file.path, file: file.file, contentType: file.contentType)
        }
        let env = self.env
        try await env.kernel.database.transaction { db in
            try await MediaStore.complete(id, with: result, now: env.now, on: db)
            try await env.kernel.events.publish(
                MediaProcessed(mediaId: id, ownerId: row.ownerId, state: .ready), on: db)
        }
        progress?(1)
    }

    private func fail(_ row: MediaRow, reason: String) async throws {
        let env = self.env
        try await env.kernel.database.transaction { db in
            try await MediaStore.setState(row.id, .failed, reason: reason, now: env.now, on: db)
            try await env.kernel.events.publish(
                MediaProcessed(mediaId: row.id, ownerId: row.ownerId, state: .failed), on: db)
        }
    }

    /// The state and failure reason of any media item, whoever owns it; for operators.
    public func state(of id: MediaID) async throws -> (state: MediaState, reason: String?) {
        guard let row = try await MediaStore.find(id, on: env.kernel.database.sql) else { throw AppError.notFound("media") }
        return (row.state, row.failureReason)
    }

    func registerJobs() {
        let processing = self
        env.kernel.jobs.register(MediaLibrary.processJob) { request, attempt in
            try await processing.process(request.mediaId, isLastAttempt: attempt.isLast)
        }
    }
}

/// Writes progress to the media row when the percent grows and at most once a second, so
/// ffmpeg's chatter does not become a synchronous database write per frame competing with the
/// transcode for the disk.
actor ProgressThrottle {
    let env: MediaEnvironment
    let id: MediaID
    let forward: (@Sendable (Double) -> Void)?
    var lastPercent = -1
    var lastWrite: ContinuousClock.Instant?
    static let interval = Duration.seconds(1)

    init(env: MediaEnvironment, id: MediaID, forward: (@Sendable (Double) -> Void)?) {
        self.env = env
        self.id = id
        self.forward = forward
    }

    func report(_ fraction: Double) async {
        forward?(fraction)
        let percent = Int(max(0, min(99, fraction.isFinite ? fraction * 100 : 0)))
        let now = ContinuousClock.now
        guard percent > lastPercent, lastWrite.map({ now - $0 >= Self.interval }) ?? true else { return }
        lastPercent = percent
        lastWrite = now
        try? await MediaStore.setProgress(id, percent: percent, now: env.now, on: env.kernel.database.sql)
    }
}
