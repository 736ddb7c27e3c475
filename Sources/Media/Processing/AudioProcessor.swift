import EntativaModels
import Foundation

/// Audio (music for stories and Takes): AAC in an M4A, the duration and a waveform summary.
struct AudioProcessor: Sendable {
    let tools: MediaTools
    static let waveformBuckets = 100
    static let sampleRate = 1000

    func process(_ input: URL, probe: MediaProbe, workDirectory: URL, progress: @escaping ProgressReporter) async throws -> ProcessedMedia {
        guard let duration = probe.duration, duration > 0 else {
            throw MediaTools.Failure(tool: "ffprobe", message: "the audio has no duration")
        }
        let output = workDirectory.appendingPathComponent("audio.m4a")
        try await tools.ffmpegWithProgress(
            ["-y", "-i", input.path, "-vn", "-map_metadata", "-1", "-c:a", "aac", "-b:a", "128000", "-movflags", "+faststart", output.path]
        ) { seconds in await progress(min(0.9, seconds / duration * 0.9)) }

        let pcm = try await tools.ffmpeg(
            ["-i", input.path, "-vn", "-ac", "1", "-ar", "\(Self.sampleRate)", "-f", "s16le", "-"], limit: 64 << 20)
        var result = ProcessedMedia(duration: duration, waveform: Self.waveform(pcm: pcm, buckets: Self.waveformBuckets))
        result.files.append(ProducedFile(path: "audio.m4a", file: output, contentType: "audio/mp4"))
        result.variants.append(StoredVariant(name: "audio", path: "audio.m4a", contentType: "audio/mp4", bitrate: 128_000))
        await progress(1)
        return result
    }

    /// The loudest sample of each of `buckets` equal slices, from 0 to 1, rounded to 3 places.
    static func waveform(pcm: Data, buckets: Int) -> [Double] {
        let samples = pcm.withUnsafeBytes { raw in
            Array(raw.bindMemory(to: Int16.self)).map { Int16(littleEndian: $0) }
        }
        guard !samples.isEmpty else { return Array(repeating: 0, count: buckets) }
        return (0..<buckets).map { bucket in
            let start = bucket * samples.count / buckets
            let end = max(start + 1, (bucket + 1) * samples.count / buckets)
            let peak = samples[start..<min(end, samples.count)].map { abs(Int($0)) }.max() ?? 0
            return (Double(min(peak, 32767)) / 32767 * 1000).rounded() / 1000
        }
    }
}
