import Foundation

/// A synthetic video made with ffmpeg's test sources, for seeded datasets and benchmarks that
/// need a real, processable file without shipping one.
public enum SampleVideo {
    /// Writes an H.264/AAC MP4 of `seconds` at `width`×`height` and 10 frames a second into
    /// `directory`: cheap to make and to transcode, which seeding does once.
    public static func make(seconds: Int, width: Int, height: Int, in directory: URL) async throws -> URL {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("sample-\(seconds)s-\(width)x\(height).mp4")
        _ = try await MediaTools().ffmpeg([
            "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=\(width)x\(height):rate=10:duration=\(seconds)",
            "-f", "lavfi", "-i", "sine=frequency=440:duration=\(seconds)", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-shortest", file.path,
        ])
        return file
    }
}
