import EntativaCore
import EntativaModels
import Foundation

/// Measures what Entativa adds to the bare ffmpeg work of a video: the same commands run
/// directly, then the whole pipeline (validation, storage, job bookkeeping, processing).
public enum LadderBenchmark {
    public struct Result: Sendable {
        public var bareSeconds: Double
        public var entativaSeconds: Double
        public var overhead: Double { entativaSeconds / bareSeconds - 1 }
    }

    /// The ffmpeg commands processing runs for `input`, in order: the ladder, the poster, the sprite.
    public static func bareCommands(input: URL, workDirectory: URL, tools: MediaTools) async throws -> [[String]] {
        let probe = try await tools.probe(input)
        guard let duration = probe.duration else { throw MediaTools.Failure(tool: "ffprobe", message: "no duration") }
        let hls = workDirectory.appendingPathComponent("hls")
        try FileManager.default.createDirectory(at: hls, withIntermediateDirectories: true)
        let ladder = VideoProcessor.hlsArguments(input: input.path, output: hls, probe: probe, preset: VideoProcessor(tools: tools).preset)
        let stills = VideoProcessor.stillArguments(
            input: input.path, poster: workDirectory.appendingPathComponent("poster.jpg"),
            sprite: workDirectory.appendingPathComponent("sprite.jpg"), duration: duration)
        return [["-v", "error"] + ladder.arguments] + stills.map { ["-v", "error"] + $0 }
    }

    /// Runs `bare` (already timed by the caller's process runner) and then the pipeline on `env`.
    public static func timePipeline(input: URL, env: MediaEnvironment, owner: AccountID) async throws -> Double {
        let copy = env.temporaryFile()
        try FileManager.default.copyItem(at: input, to: copy)
        let start = ContinuousClock.now
        let media = try await MediaLibrary(env: env).ingest(copy, owner: owner, isPrivate: false)
        try await MediaProcessing(env: env).process(media.id)
        let elapsed = ContinuousClock.now - start
        guard let row = try await MediaStore.find(media.id, on: env.kernel.database.sql), row.state == .ready else {
            throw MediaTools.Failure(tool: "pipeline", message: "the media did not become ready")
        }
        return elapsed.timeInterval
    }
}
