import EntativaModels
import Foundation

/// Images: metadata (EXIF, GPS) stripped by re-encoding, a small and a medium variant, the
/// original size, a blurhash and the dominant colour.
struct ImageProcessor: Sendable {
    let tools: MediaTools
    static let sizes = [("small", 320), ("medium", 1080)]

    func process(_ input: URL, probe: MediaProbe, workDirectory: URL) async throws -> ProcessedMedia {
        guard let width = probe.width, let height = probe.height else {
            throw MediaTools.Failure(tool: "ffprobe", message: "the image has no size")
        }
        // JPEG stays JPEG; formats that may carry transparency become WebP, which keeps it.
        let opaque = probe.videoCodec == "mjpeg"
        let ext = opaque ? "jpg" : "webp"
        let contentType = opaque ? "image/jpeg" : "image/webp"
        let codec = opaque ? ["-c:v", "mjpeg", "-q:v", "3"] : ["-c:v", "libwebp", "-quality", "85"]
        var result = ProcessedMedia(width: width, height: height)

        for (name, limit) in Self.sizes {
            let output = workDirectory.appendingPathComponent("\(name).\(ext)")
            let fit = "scale='min(\(limit),iw)':'min(\(limit),ih)':force_original_aspect_ratio=decrease"
            _ = try await tools.ffmpeg(["-y", "-i", input.path, "-map_metadata", "-1", "-frames:v", "1", "-vf", fit] + codec + [output.path])
            let scaled = Self.fitted(width: width, height: height, limit: limit)
            result.files.append(ProducedFile(path: "\(name).\(ext)", file: output, contentType: contentType))
            result.variants.append(StoredVariant(name: name, path: "\(name).\(ext)", contentType: contentType, width: scaled.0, height: scaled.1))
        }

        let original = try await makeOriginal(input, probe: probe, workDirectory: workDirectory)
        result.files.append(original)
        result.variants.append(StoredVariant(name: "original", path: original.path, contentType: original.contentType, width: width, height: height))

        let placeholder = try await Blurhash.placeholder(of: input, tools: tools)
        result.blurhash = placeholder?.hash
        result.dominantColor = placeholder?.color
        return result
    }

    /// The full-size image without its metadata. GIFs keep their animation and bytes: the
    /// format has no EXIF or GPS blocks to strip.
    private func makeOriginal(_ input: URL, probe: MediaProbe, workDirectory: URL) async throws -> ProducedFile {
        switch probe.videoCodec {
        case "gif":
            return ProducedFile(path: "original.gif", file: input, contentType: "image/gif")
        case "png":
            let output = workDirectory.appendingPathComponent("original.png")
            _ = try await tools.ffmpeg(["-y", "-i", input.path, "-map_metadata", "-1", "-frames:v", "1", "-c:v", "png", output.path])
            return ProducedFile(path: "original.png", file: output, contentType: "image/png")
        case "webp":
            let output = workDirectory.appendingPathComponent("original.webp")
            _ = try await tools.ffmpeg(
                ["-y", "-i", input.path, "-map_metadata", "-1", "-frames:v", "1", "-c:v", "libwebp", "-quality", "95", output.path])
            return ProducedFile(path: "original.webp", file: output, contentType: "image/webp")
        default:
            let output = workDirectory.appendingPathComponent("original.jpg")
            _ = try await tools.ffmpeg(
                ["-y", "-i", input.path, "-map_metadata", "-1", "-frames:v", "1", "-c:v", "mjpeg", "-q:v", "2", output.path])
            return ProducedFile(path: "original.jpg", file: output, contentType: "image/jpeg")
        }
    }

    static func fitted(width: Int, height: Int, limit: Int) -> (Int, Int) {
        let scale = min(1, Double(limit) / Double(max(width, height)))
        return (max(1, Int((Double(width) * scale).rounded())), max(1, Int((Double(height) * scale).rounded())))
    }
}
