import EntativaCore
import EntativaModels
import Foundation

/// Which files Entativa accepts, decided from ffprobe's reading of the content.
public struct MediaPolicy: Sendable {
    public var maxImageBytes: Int64 = 20 << 20
    public var maxImageSide = 8192
    public var maxVideoBytes: Int64 = 2 << 30
    public var maxVideoSeconds: Double = 600
    public var maxAudioBytes: Int64 = 50 << 20
    /// An encrypted attachment's ciphertext, as Signal allows.
    public var maxEncryptedBytes: Int64 = 100 << 20
    /// How long an encrypted attachment stays: as long as the envelopes that point to it.
    public var encryptedLifetimeMillis: Int64 = 30 * 24 * 3_600_000
    /// The ceiling of `POST /api/v1/media`; larger files go through tus.
    public var maxSimpleUploadBytes: Int64 = 10 << 20

    public init() {}

    static let imageCodecs: Set<String> = ["mjpeg", "png", "webp", "gif"]
    static let imageFormats: Set<String> = ["jpeg_pipe", "png_pipe", "webp_pipe", "gif", "image2"]
    static let videoContainers = ["mov", "mp4", "matroska", "webm"]
    static let audioFormats: Set<String> = ["mp3", "aac", "ogg", "wav", "mov,mp4,m4a,3gp,3g2,mj2"]
    static let audioCodecs: Set<String> = ["mp3", "aac", "opus", "vorbis", "pcm_s16le", "pcm_s24le", "pcm_f32le", "pcm_u8"]

    /// The kind of the file, or a 422 that says why it is refused.
    public func classify(_ probe: MediaProbe, size: Int64) throws -> MediaKind {
        if let codec = probe.videoCodec, Self.imageCodecs.contains(codec), Self.imageFormats.contains(probe.formatName) {
            guard size <= maxImageBytes else { throw refuse("too_large", "images may be at most \(maxImageBytes >> 20) MB") }
            guard let width = probe.width, let height = probe.height, width > 0, height > 0 else {
                throw refuse("unreadable", "the image has no readable size")
            }
            guard max(width, height) <= maxImageSide else {
                throw refuse("too_large", "images may be at most \(maxImageSide) px on a side")
            }
            return .image
        }
        let isContainer = Self.videoContainers.contains { probe.formatName.contains($0) }
        if isContainer, let codec = probe.videoCodec, !Self.imageCodecs.contains(codec), codec != "png" {
            guard size <= maxVideoBytes else { throw refuse("too_large", "videos may be at most 2 GB") }
            guard let duration = probe.duration, duration > 0 else { throw refuse("unreadable", "the video has no duration") }
            guard duration <= maxVideoSeconds + 0.5 else { throw refuse("too_long", "videos may be at most 10 minutes") }
            guard probe.width != nil else { throw refuse("unreadable", "the video has no readable picture size") }
            return .video
        }
        if probe.videoCodec == nil, let codec = probe.audioCodec, Self.audioCodecs.contains(codec),
            Self.audioFormats.contains(probe.formatName) || probe.formatName.contains("mp4")
        {
            guard size <= maxAudioBytes else { throw refuse("too_large", "audio may be at most 50 MB") }
            guard let duration = probe.duration, duration > 0 else { throw refuse("unreadable", "the audio has no duration") }
            return .audio
        }
        throw refuse("unsupported", "\(probe.formatName) with \(probe.videoCodec ?? probe.audioCodec ?? "no streams") is not a supported image, video or audio format")
    }

    func refuse(_ code: String, _ message: String) -> AppError {
        AppError.invalid(field: "file", code: code, message: message)
    }

    /// The refusal for a file ffprobe could not read at all: lying, truncated or not media.
    static func unreadable(_ failure: any Error) -> AppError {
        // ffprobe names the file; our paths are nobody's business.
        let reason = String(describing: failure).replacing(#/\/[^\s:]+: /#, with: "")
        return AppError.invalid(field: "file", code: "unreadable", message: "is not a readable image, video or audio file (\(reason))")
    }
}
