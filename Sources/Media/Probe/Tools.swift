import Foundation
import Subprocess

/// Runs ffmpeg and ffprobe. Output limits keep a misbehaving file from filling memory.
public struct MediaTools: Sendable {
    public var ffmpeg: String
    public var ffprobe: String

    /// Niceness of transcoding processes: a long transcode yields the CPU to API requests.
    public var niceness: Int

    public init(ffmpeg: String = "ffmpeg", ffprobe: String = "ffprobe", niceness: Int = 10) {
        self.ffmpeg = ffmpeg
        self.ffprobe = ffprobe
        self.niceness = niceness
    }

    public struct Failure: Error, CustomStringConvertible {
        public var tool: String
        public var message: String
        public var description: String { "\(tool): \(message)" }
    }

    /// Runs `tool` and answers its standard output; a non-zero exit throws with the last of stderr.
    func capture(_ tool: String, _ arguments: [String], limit: Int = 4 << 20) async throws -> Data {
        let result = try await run(
            .name("nice"), arguments: Arguments(["-n", String(niceness), tool] + arguments), output: .data(limit: limit),
            error: .string(limit: 64 * 1024))
        guard result.terminationStatus.isSuccess else {
            throw Failure(tool: tool, message: Self.lastLines(result.standardError))
        }
        return result.standardOutput
    }

    /// Runs ffmpeg with `-progress pipe:1`, reporting the seconds of output written so far.
    func ffmpegWithProgress(_ arguments: [String], onProgress: @escaping @Sendable (Double) async -> Void) async throws {
        let result = try await run(
            .name("nice"),
            arguments: Arguments(["-n", String(niceness), ffmpeg, "-nostdin", "-hide_banner", "-v", "error", "-progress", "pipe:1", "-nostats"] + arguments),
            input: .none, output: .sequence, error: .string(limit: 64 * 1024)
        ) { execution in
            for try await line in execution.standardOutput.strings() {
                if line.hasPrefix("out_time_us="), let micros = Double(line.dropFirst("out_time_us=".count)) {
                    await onProgress(micros / 1_000_000)
                }
            }
        }
        guard result.terminationStatus.isSuccess else {
            throw Failure(tool: "ffmpeg", message: Self.lastLines(result.standardError))
        }
    }

    func ffmpeg(_ arguments: [String], limit: Int = 16 << 20) async throws -> Data {
        try await capture(ffmpeg, ["-nostdin", "-hide_banner", "-v", "error"] + arguments, limit: limit)
    }

    static func lastLines(_ text: String) -> String {
        let lines = text.split(whereSeparator: \.isNewline).suffix(3)
        return lines.isEmpty ? "failed without a message" : lines.joined(separator: " | ")
    }
}
