import EntativaCore
import EntativaModels
import Foundation
import Logging

/// The `media.process` job: makes every rendition of one media item and stores it. Running it
/// again (after a crash, or by `entativa admin media reprocess`) redoes the work from the
/// stored source and overwrites what an earlier run left.
public struct MediaProcessing: Sendable {
    let env: MediaEnvironment

    public init(env: MediaEnvironment) { self.env = env }

    /// `progress` receives 0…1; the CLI draws its bar from it.
    public func process(_ id: MediaID, progress: (@Sendable (Double) -> Void)? = nil, isLastAttempt: Bool = true) async throws {
        let database = env.kernel.database.sql
        guard let row = try await MediaStore.find(id, on: database) else { return }
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
            switch row.mediaKind {
            case .image:
                result = try await ImageProcessor(tools: env.tools).process(source, probe: probe, workDirectory: work)
            case .video:
                result = try await VideoProcessor(tools: env.tools).process(source, probe: probe, workDirectory: work) { await reporter.report($0) }
            case .audio:
                result = try await AudioProcessor(tools: env.tools).process(source, probe: probe, workDirectory: work) { await reporter.report($0) }
            }
        } catch let failure as MediaTools.Failure {
            // The file itself is the problem: retrying cannot help, so say why and stop.
            try await MediaStore.setState(id, .failed, reason: "Processing failed: \(failure.message)", now: env.now, on: database)
            return
        } catch {
            if isLastAttempt {
                try await MediaStore.setState(id, .failed, reason: "Processing failed: \(error)", now: env.now, on: database)
            }
            throw error
        }
        for file in result.files {
            try await env.blobs.put(MediaLocation.prefix(id) + file.path, file: file.file, contentType: file.contentType)
        }
        try await MediaStore.complete(id, with: result, now: env.now, on: database)
        progress?(1)
    }

    /// Queues a media item for processing again, for the admin command line.
    public func requeue(_ id: MediaID) async throws {
        let env = self.env
        try await env.kernel.database.transaction { db in
            guard try await MediaStore.find(id, on: db) != nil else { throw AppError.notFound("media") }
            try await MediaStore.setState(id, .pending, now: env.now, on: db)
            try await env.kernel.jobs.enqueue(MediaLibrary.processJob, ProcessMediaRequest(mediaId: id), on: db)
        }
    }

    func registerJobs() {
        let processing = self
        env.kernel.jobs.register(MediaLibrary.processJob) { request, attempt in
            try await processing.process(request.mediaId, isLastAttempt: attempt.isLast)
        }
    }
}

/// Writes progress to the media row at most once per percent, so ffmpeg's chatter does not
/// become a write per frame.
actor ProgressThrottle {
    let env: MediaEnvironment
    let id: MediaID
    let forward: (@Sendable (Double) -> Void)?
    var lastPercent = -1

    init(env: MediaEnvironment, id: MediaID, forward: (@Sendable (Double) -> Void)?) {
        self.env = env
        self.id = id
        self.forward = forward
    }

    func report(_ fraction: Double) async {
        forward?(fraction)
        let percent = Int(max(0, min(99, fraction * 100)))
        guard percent > lastPercent else { return }
        lastPercent = percent
        try? await MediaStore.setProgress(id, percent: percent, now: env.now, on: env.kernel.database.sql)
    }
}
