import EntativaModels
import Foundation

/// What ffprobe says a file is, reduced to what validation and processing need.
public struct MediaProbe: Sendable, Equatable {
    public var formatName: String
    public var duration: Double?
    public var videoCodec: String?
    public var audioCodec: String?
    public var width: Int?
    public var height: Int?
    /// Clockwise degrees a player must turn the picture (phone videos carry a display matrix).
    public var rotation: Int

    /// Width and height as displayed, after rotation.
    public var displaySize: (width: Int, height: Int)? {
        guard let width, let height else { return nil }
        return abs(rotation) % 180 == 90 ? (height, width) : (width, height)
    }

    public static func == (lhs: MediaProbe, rhs: MediaProbe) -> Bool {
        lhs.formatName == rhs.formatName && lhs.duration == rhs.duration && lhs.videoCodec == rhs.videoCodec
            && lhs.audioCodec == rhs.audioCodec && lhs.width == rhs.width && lhs.height == rhs.height && lhs.rotation == rhs.rotation
    }
}

extension MediaTools {
    /// Reads the file's real format from its content; the name plays no part.
    public func probe(_ file: URL) async throws -> MediaProbe {
        let output = try await capture(
            ffprobe, ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", file.path])
        return try MediaProbe.parse(output)
    }
}

extension MediaProbe {
    struct Document: Decodable {
        struct Format: Decodable {
            var formatName: String?
            var duration: String?
        }
        struct Stream: Decodable {
            var codecType: String?
            var codecName: String?
            var width: Int?
            var height: Int?
            var duration: String?
            var sideDataList: [SideData]?
            var tags: [String: String]?
        }
        struct SideData: Decodable {
            var rotation: Int?
        }
        var format: Format?
        var streams: [Stream]?
    }

    static func parse(_ data: Data) throws -> MediaProbe {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let document = try decoder.decode(Document.self, from: data)
        guard let format = document.format, let name = format.formatName else {
            throw MediaTools.Failure(tool: "ffprobe", message: "no container format found")
        }
        let streams = document.streams ?? []
        let video = streams.first { $0.codecType == "video" }
        let audio = streams.first { $0.codecType == "audio" }
        // A crafted file can make ffprobe report anything: NaN, 1e308, Int.min degrees. An
        // implausible duration refuses the file (422); an implausible size or rotation counts as
        // absent, which the policy refuses too. Nothing later does arithmetic on raw values.
        let rotation = video?.sideDataList?.compactMap(\.rotation).first ?? video?.tags?["rotate"].flatMap(Int.init) ?? 0
        var duration: Double?
        if let text = format.duration ?? video?.duration ?? audio?.duration {
            guard let seconds = Self.seconds(text) else {
                throw MediaTools.Failure(tool: "ffprobe", message: "the reported duration \(text.prefix(40)) is not plausible")
            }
            duration = seconds
        }
        return MediaProbe(
            formatName: name, duration: duration, videoCodec: video?.codecName, audioCodec: audio?.codecName,
            width: video?.width.flatMap(Self.side), height: video?.height.flatMap(Self.side),
            rotation: (-360...360).contains(rotation) ? -rotation : 0)
    }

    /// Longest duration any file may claim: a day. Far above every policy limit, far below overflow.
    static let longestSeconds = 86_400.0

    static func seconds(_ text: String) -> Double? {
        guard let value = Double(text), value.isFinite, value >= 0, value <= longestSeconds else { return nil }
        return value
    }

    static func side(_ pixels: Int) -> Int? {
        (1...65_535).contains(pixels) ? pixels : nil
    }
}
