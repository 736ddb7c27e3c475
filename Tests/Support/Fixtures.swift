import Foundation
import Subprocess

/// Test inputs made with ffmpeg's synthetic sources, so no media files live in the repository.
public enum Fixtures {
    public static let directory: URL = {
        let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("entativa-fixtures-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// Runs a command to completion; throws with its stderr when it fails. Through swift-subprocess
    /// (posix_spawn), as the server runs ffmpeg: Foundation's `Process.run` crashed the test
    /// process now and then, reading `/proc/self/fd` while other threads opened and closed
    /// sockets, and waiting for it blocked a thread.
    @discardableResult
    public static func run(_ tool: String, _ arguments: [String]) async throws -> Data {
        let result = try await Subprocess.run(
            .name(tool), arguments: Arguments(arguments), output: .data(limit: 256 << 20), error: .string(limit: 64 * 1024))
        guard result.terminationStatus.isSuccess else { throw FixtureError(message: "\(tool) failed: \(result.standardError)") }
        return result.standardOutput
    }

    struct FixtureError: Error { var message: String }

    /// Makes each fixture once per test process: later callers wait for the first one's run.
    private actor Maker {
        private var made: [URL: Task<Void, any Error>] = [:]

        func make(_ url: URL, _ arguments: [String]) async throws {
            if let making = made[url] { return try await making.value }
            let making = Task {
                guard !FileManager.default.fileExists(atPath: url.path) else { return }
                let staging = url.deletingLastPathComponent().appendingPathComponent("staging-\(UUID().uuidString)-\(url.lastPathComponent)")
                try await Fixtures.run("ffmpeg", ["-v", "error", "-y"] + arguments + [staging.path])
                try FileManager.default.moveItem(at: staging, to: url)
            }
            made[url] = making
            do {
                try await making.value
            } catch {
                made[url] = nil
                throw error
            }
        }
    }

    private static let maker = Maker()

    /// Makes `name` once per test process with `ffmpeg arguments… <path>`.
    public static func make(_ name: String, _ arguments: [String]) async throws -> URL {
        let url = directory.appendingPathComponent(name)
        try await maker.make(url, arguments)
        return url
    }

    public static func jpeg(width: Int = 1600, height: Int = 1200) async throws -> URL {
        try await make("photo-\(width)x\(height).jpg", ["-f", "lavfi", "-i", "testsrc=size=\(width)x\(height):rate=1", "-frames:v", "1"])
    }

    public static func png(width: Int = 640, height: Int = 480) async throws -> URL {
        try await make("alpha-\(width)x\(height).png", ["-f", "lavfi", "-i", "testsrc=size=\(width)x\(height):rate=1", "-vf", "format=rgba", "-frames:v", "1"])
    }

    /// A JPEG whose APP1 segment carries EXIF with a GPS latitude, as phones write them.
    public static func jpegWithGPS() async throws -> Data {
        var data = try await Data(contentsOf: jpeg(width: 800, height: 600))
        let tiff: [UInt8] = [
            0x49, 0x49, 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00,  // little-endian TIFF, IFD0 at 8
            0x01, 0x00, 0x25, 0x88, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00, 0x1A, 0x00, 0x00, 0x00,  // GPSInfo → 26
            0x00, 0x00, 0x00, 0x00,
            0x01, 0x00, 0x01, 0x00, 0x02, 0x00, 0x02, 0x00, 0x00, 0x00, 0x4E, 0x00, 0x00, 0x00,  // GPSLatitudeRef "N"
            0x00, 0x00, 0x00, 0x00,
        ]
        let payload = Array("Exif".utf8) + [0, 0] + tiff
        let length = payload.count + 2
        let segment: [UInt8] = [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
        data.insert(contentsOf: segment, at: 2)
        return data
    }

    /// `rate` frames a second: tests that need only a video's length (Takes' bounds) use few,
    /// which makes transcoding it cheap.
    public static func video(seconds: Int, width: Int, height: Int, audio: Bool = true, faststart: Bool = false, rate: Int = 30) async throws -> URL {
        var arguments = ["-f", "lavfi", "-i", "testsrc2=size=\(width)x\(height):rate=\(rate):duration=\(seconds)"]
        if audio { arguments += ["-f", "lavfi", "-i", "sine=frequency=440:duration=\(seconds)"] }
        arguments += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-b:v", "2500k", "-maxrate", "2500k", "-bufsize", "5000k"]
        if audio { arguments += ["-c:a", "aac", "-shortest"] }
        if faststart { arguments += ["-movflags", "+faststart"] }
        return try await make("video-\(seconds)s-\(width)x\(height)-\(audio)-\(faststart)-\(rate)fps.mp4", arguments)
    }

    public static func audio(seconds: Int) async throws -> URL {
        try await make("tone-\(seconds)s.wav", ["-f", "lavfi", "-i", "sine=frequency=330:duration=\(seconds)"])
    }

    /// The first `fraction` of a file's bytes.
    public static func truncated(_ url: URL, fraction: Double) throws -> Data {
        let data = try Data(contentsOf: url)
        return data.prefix(Int(Double(data.count) * fraction))
    }

    struct Stream: Decodable {
        var width: Int?
        var height: Int?
        var codecName: String?
    }

    /// ffprobe's reading of a file: first video stream's size and the container duration.
    public static func probe(_ path: String) async throws -> (width: Int?, height: Int?, duration: Double?) {
        let output = try await run("ffprobe", ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", path])
        struct Document: Decodable {
            struct Format: Decodable { var duration: String? }
            var format: Format?
            var streams: [Stream]?
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let document = try decoder.decode(Document.self, from: output)
        let video = document.streams?.first { $0.width != nil }
        return (video?.width, video?.height, document.format?.duration.flatMap(Double.init))
    }
}
