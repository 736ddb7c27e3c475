/// A closed set of strings on the wire. Decoding an unknown value fails with a message that lists
/// the allowed ones ("must be one of: like, love, …"), which the server passes on in its 422; the
/// standard library's message names a Swift type instead.
public protocol WireEnum: RawRepresentable<String>, CaseIterable, Codable, Sendable {}

extension WireEnum {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Self(rawValue: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: Self.allowedValuesMessage)
        }
        self = value
    }

    /// "must be one of: a, b, c", for query parameters as much as for bodies.
    public static var allowedValuesMessage: String {
        "must be one of: " + allCases.map(\.rawValue).joined(separator: ", ")
    }
}

extension PostAudience: WireEnum {}
extension StoryAudience: WireEnum {}
extension StickerKind: WireEnum {}
extension StoryNavigationAction: WireEnum {}
extension CommentPolicy: WireEnum {}
extension ReactionKind: WireEnum {}
extension CommentOrder: WireEnum {}
extension MediaKind: WireEnum {}
extension MediaState: WireEnum {}
extension PushPlatform: WireEnum {}
extension EmailDigest: WireEnum {}
extension NotificationSource: WireEnum {}
extension Platform: WireEnum {}
extension Role: WireEnum {}
extension SecurityEventKind: WireEnum {}
extension TakeOrientation: WireEnum {}
extension TrendKind: WireEnum {}
extension TemplateOrder: WireEnum {}
