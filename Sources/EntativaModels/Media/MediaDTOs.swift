import Foundation

public enum MediaEntity {}
public typealias MediaID = Identifier<MediaEntity>

public enum MediaKind: String, Codable, Sendable, CaseIterable {
    case image
    case video
    case audio
    /// Ciphertext a client encrypted (a message's attachment): stored and served as it came,
    /// never probed or processed, only through a signed path.
    case encrypted
}

public enum MediaState: String, Codable, Sendable, CaseIterable {
    case pending
    case processing
    case ready
    case failed
}

/// One rendition of a media item: an image size, the HLS master playlist, a poster, a sprite…
public struct MediaVariant: Codable, Sendable, Equatable {
    public var name: String
    public var url: String
    public var contentType: String
    public var width: Int?
    public var height: Int?
    /// Bits per second, for HLS rungs.
    public var bitrate: Int?

    public init(name: String, url: String, contentType: String, width: Int? = nil, height: Int? = nil, bitrate: Int? = nil) {
        self.name = name
        self.url = url
        self.contentType = contentType
        self.width = width
        self.height = height
        self.bitrate = bitrate
    }
}

/// Where the interesting part of a picture is, from -1 (left, bottom) to 1 (right, top), so
/// crops keep it in view.
public struct FocalPoint: Codable, Sendable, Equatable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

public struct MediaAttachment: Codable, Sendable, Equatable {
    public var id: MediaID
    public var kind: MediaKind
    public var state: MediaState
    /// 0–100 while processing.
    public var progress: Int
    public var failureReason: String?
    public var width: Int?
    public var height: Int?
    public var durationSeconds: Double?
    public var altText: String?
    public var focalPoint: FocalPoint?
    public var blurhash: String?
    /// `#rrggbb`.
    public var dominantColor: String?
    /// Peaks from 0 to 1, for audio.
    public var waveform: [Double]?
    public var isPrivate: Bool
    public var variants: [MediaVariant]
    public var createdAt: Date

    public init(
        id: MediaID, kind: MediaKind, state: MediaState, progress: Int, failureReason: String?, width: Int?, height: Int?,
        durationSeconds: Double?, altText: String?, focalPoint: FocalPoint?, blurhash: String?, dominantColor: String?,
        waveform: [Double]?, isPrivate: Bool, variants: [MediaVariant], createdAt: Date
    ) {
        self.id = id
        self.kind = kind
        self.state = state
        self.progress = progress
        self.failureReason = failureReason
        self.width = width
        self.height = height
        self.durationSeconds = durationSeconds
        self.altText = altText
        self.focalPoint = focalPoint
        self.blurhash = blurhash
        self.dominantColor = dominantColor
        self.waveform = waveform
        self.isPrivate = isPrivate
        self.variants = variants
        self.createdAt = createdAt
    }
}

public struct UpdateMediaRequest: Codable, Sendable {
    public var altText: String?
    public var focalPoint: FocalPoint?

    public init(altText: String? = nil, focalPoint: FocalPoint? = nil) {
        self.altText = altText
        self.focalPoint = focalPoint
    }
}

public enum UploadEntity {}
/// A resumable (tus) upload in progress.
public typealias UploadID = Identifier<UploadEntity>
