import EntativaModels
import Foundation

/// Video: an HLS ladder (H.264 + AAC, 6-second segments, a master playlist with bandwidths),
/// a poster frame and a thumbnail sprite.
struct VideoProcessor: Sendable {
    let tools: MediaTools
    var preset = "veryfast"

    struct Rung: Sendable, Equatable {
        var name: String
        var shortSide: Int
        var videoBitrate: Int
    }

    static let ladder = [
        Rung(name: "240p", shortSide: 240, videoBitrate: 400_000), Rung(name: "360p", shortSide: 360, videoBitrate: 800_000),
        Rung(name: "480p", shortSide: 480, videoBitrate: 1_400_000), Rung(name: "720p", shortSide: 720, videoBitrate: 2_800_000),
        Rung(name: "1080p", shortSide: 1080, videoBitrate: 5_000_000),
    ]
    static let audioBitrate = 128_000
    static let segmentSeconds = 6
    static let spriteColumns = 5
    static let spriteRows = 5

    /// The rungs at or below the source's short side; a source smaller than the lowest rung
    /// gets one rung at its own size.
    static func rungs(forShortSide side: Int) -> [Rung] {
        let fitting = ladder.filter { $0.shortSide <= side }
        if !fitting.isEmpty { return fitting }
        let even = max(2, side - side % 2)
        return [Rung(name: "\(even)p", shortSide: even, videoBitrate: ladder[0].videoBitrate)]
    }

    /// The ffmpeg arguments that make the whole ladder in one pass over the source; the
    /// benchmark runs exactly these to compare with the bare ffmpeg.
    static func hlsArguments(input: String, output: URL, probe: MediaProbe, preset: String) -> (arguments: [String], rungs: [Rung]) {
        let size = probe.displaySize ?? (probe.width ?? 640, probe.height ?? 360)
        let landscape = size.width >= size.height
        let rungs = rungs(forShortSide: min(size.width, size.height))
        let hasAudio = probe.audioCodec != nil
        var filter = "[0:v]split=\(rungs.count)" + rungs.indices.map { "[s\($0)]" }.joined() + ";"
        filter += rungs.enumerated().map { index, rung in
            let scale = landscape ? "scale=-2:\(rung.shortSide)" : "scale=\(rung.shortSide):-2"
            return "[s\(index)]\(scale)[v\(index)]"
        }.joined(separator: ";")
        var arguments = ["-y", "-i", input, "-filter_complex", filter]
        for (index, rung) in rungs.enumerated() {
            arguments += ["-map", "[v\(index)]"]
            arguments += [
                "-b:v:\(index)", "\(rung.videoBitrate)", "-maxrate:v:\(index)", "\(rung.videoBitrate * 107 / 100)",
                "-bufsize:v:\(index)", "\(rung.videoBitrate * 3 / 2)",
            ]
            if hasAudio { arguments += ["-map", "0:a:0"] }
        }
        arguments += ["-c:v", "libx264", "-preset", preset, "-profile:v", "main", "-pix_fmt", "yuv420p", "-sc_threshold", "0"]
        arguments += ["-force_key_frames", "expr:gte(t,n_forced*\(segmentSeconds))"]
        if hasAudio { arguments += ["-c:a", "aac", "-b:a", "\(audioBitrate)", "-ac", "2"] }
        let streamMap = rungs.enumerated().map { index, rung in
            (hasAudio ? "v:\(index),a:\(index)" : "v:\(index)") + ",name:\(rung.name)"
        }.joined(separator: " ")
        arguments += [
            "-f", "hls", "-hls_time", "\(segmentSeconds)", "-hls_playlist_type", "vod", "-hls_flags", "independent_segments",
            "-hls_segment_filename", output.appendingPathComponent("%v/segment_%03d.ts").path,
            "-master_pl_name", "master.m3u8", "-var_stream_map", streamMap, output.appendingPathComponent("%v/index.m3u8").path,
        ]
        return (arguments, rungs)
    }

    func process(_ input: URL, probe: MediaProbe, workDirectory: URL, progress: @escaping ProgressReporter) async throws -> ProcessedMedia {
        guard let duration = probe.duration, duration > 0, let size = probe.displaySize else {
            throw MediaTools.Failure(tool: "ffprobe", message: "the video has no duration or size")
        }
        let hls = workDirectory.appendingPathComponent("hls")
        try FileManager.default.createDirectory(at: hls, withIntermediateDirectories: true)
        let (arguments, rungs) = Self.hlsArguments(input: input.path, output: hls, probe: probe, preset: preset)
        try await tools.ffmpegWithProgress(arguments) { seconds in await progress(min(0.95, seconds / duration * 0.95)) }

        // A truncated file can still probe well and encode without error, just shorter.
        let produced = try Self.playlistDuration(hls.appendingPathComponent("\(rungs[0].name)/index.m3u8"))
        guard produced >= duration * 0.9 - 0.5 else {
            throw MediaTools.Failure(
                tool: "ffmpeg", message: String(format: "the video ends after %.1f of its %.1f seconds; the file is probably truncated", produced, duration))
        }
        var result = ProcessedMedia(width: size.width, height: size.height, duration: duration)
        for file in try Self.files(under: hls) {
            let relative = "hls/" + file.path.dropFirst(hls.path.count + 1)
            let type = file.pathExtension == "m3u8" ? "application/vnd.apple.mpegurl" : "video/mp2t"
            result.files.append(ProducedFile(path: String(relative), file: file, contentType: type))
        }
        result.variants.append(StoredVariant(name: "hls", path: "hls/master.m3u8", contentType: "application/vnd.apple.mpegurl", width: size.width, height: size.height))
        for rung in rungs {
            let landscape = size.width >= size.height
            let scaled = landscape
                ? (Int((Double(size.width) * Double(rung.shortSide) / Double(size.height) / 2).rounded()) * 2, rung.shortSide)
                : (rung.shortSide, Int((Double(size.height) * Double(rung.shortSide) / Double(size.width) / 2).rounded()) * 2)
            result.variants.append(
                StoredVariant(
                    name: "hls_\(rung.name)", path: "hls/\(rung.name)/index.m3u8", contentType: "application/vnd.apple.mpegurl",
                    width: scaled.0, height: scaled.1, bitrate: rung.videoBitrate + (probe.audioCodec == nil ? 0 : Self.audioBitrate)))
        }

        let poster = workDirectory.appendingPathComponent("poster.jpg")
        let sprite = workDirectory.appendingPathComponent("sprite.jpg")
        for arguments in Self.stillArguments(input: input.path, poster: poster, sprite: sprite, duration: duration) {
            _ = try await tools.ffmpeg(arguments)
        }
        result.files.append(ProducedFile(path: "poster.jpg", file: poster, contentType: "image/jpeg"))
        result.variants.append(StoredVariant(name: "poster", path: "poster.jpg", contentType: "image/jpeg"))
        result.files.append(ProducedFile(path: "sprite.jpg", file: sprite, contentType: "image/jpeg"))
        result.variants.append(StoredVariant(name: "sprite", path: "sprite.jpg", contentType: "image/jpeg"))

        let placeholder = try await Blurhash.placeholder(of: poster, tools: tools)
        result.blurhash = placeholder?.hash
        result.dominantColor = placeholder?.color
        await progress(1)
        return result
    }

    /// The poster frame and the 5×5 sprite of frames spread over the whole video.
    static func stillArguments(input: String, poster: URL, sprite: URL, duration: Double) -> [[String]] {
        let at = String(format: "%.3f", min(3, duration * 0.1))
        let fps = String(format: "%.6f", Double(spriteColumns * spriteRows) / duration)
        return [
            ["-y", "-ss", at, "-i", input, "-frames:v", "1", "-vf", "scale='min(1080,iw)':-2", "-q:v", "3", poster.path],
            ["-y", "-i", input, "-frames:v", "1", "-q:v", "4", "-vf", "fps=\(fps),scale=160:-2,tile=\(spriteColumns)x\(spriteRows)", sprite.path],
        ]
    }

    /// The sum of a media playlist's `#EXTINF` durations.
    static func playlistDuration(_ playlist: URL) throws -> Double {
        let text = try String(contentsOf: playlist, encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).reduce(0) { total, line in
            guard line.hasPrefix("#EXTINF:") else { return total }
            return total + (Double(line.dropFirst(8).prefix { $0 != "," }) ?? 0)
        }
    }

    static func files(under directory: URL) throws -> [URL] {
        guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        return enumerator.compactMap { $0 as? URL }.filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
            .sorted { $0.path < $1.path }
    }
}
