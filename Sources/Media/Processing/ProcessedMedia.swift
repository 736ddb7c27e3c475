import EntativaModels
import Foundation

/// A rendition made on local disk, waiting to be stored under `media/<id>/<path>`.
struct ProducedFile: Sendable {
    var path: String
    var file: URL
    var contentType: String
}

/// A variant as stored in the `media.variants` column: a blob key instead of a URL.
struct StoredVariant: Codable, Sendable, Equatable {
    var name: String
    var path: String
    var contentType: String
    var width: Int?
    var height: Int?
    var bitrate: Int?
}

/// Everything processing learned and made.
struct ProcessedMedia: Sendable {
    var width: Int?
    var height: Int?
    var duration: Double?
    var blurhash: String?
    var dominantColor: String?
    var waveform: [Double]?
    var files: [ProducedFile] = []
    var variants: [StoredVariant] = []
}

/// Reports progress from 0 to 1; processors call it as ffmpeg advances.
typealias ProgressReporter = @Sendable (Double) async -> Void
