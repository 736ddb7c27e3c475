import Foundation

public enum PostEntity {}
public enum CommentEntity {}
public enum CollectionEntity {}

public typealias PostID = Identifier<PostEntity>
public typealias CommentID = Identifier<CommentEntity>
public typealias CollectionID = Identifier<CollectionEntity>

/// Who may see a post. `followers` exists on Vignette, `friends` on Entativa.
public enum PostAudience: String, Codable, Sendable, CaseIterable {
    case `public`
    case followers
    case friends
    case closeFriends = "close_friends"
    case onlyMe = "only_me"

    /// How many people an audience reaches, to refuse a reshare wider than its original.
    public var breadth: Int {
        switch self {
        case .public: 3
        case .followers, .friends: 2
        case .closeFriends: 1
        case .onlyMe: 0
        }
    }
}

/// Who may comment on a post besides its author. `followers` exists on Vignette, `friends` on
/// Entativa; `nobody` turns comments off for everyone, the author included.
public enum CommentPolicy: String, Codable, Sendable, CaseIterable {
    case everyone
    case followers
    case friends
    case nobody
}

/// Vignette has only `like`; Entativa has all six.
public enum ReactionKind: String, Codable, Sendable, CaseIterable {
    case like, love, haha, wow, sad, angry
}

public struct PostLocation: Codable, Sendable, Equatable {
    public var name: String
    public var latitude: Double
    public var longitude: Double

    public init(name: String, latitude: Double, longitude: Double) {
        self.name = name
        self.latitude = latitude
        self.longitude = longitude
    }
}

public struct MentionedAccount: Codable, Sendable, Equatable {
    public var id: AccountID
    public var username: String

    public init(id: AccountID, username: String) {
        self.id = id
        self.username = username
    }
}

/// Reaction counts per kind (kinds nobody used are left out), their total, and the caller's own.
public struct ReactionSummary: Codable, Sendable, Equatable {
    public var total: Int
    public var counts: [String: Int]
    public var mine: ReactionKind?

    public init(total: Int, counts: [String: Int], mine: ReactionKind?) {
        self.total = total
        self.counts = counts
        self.mine = mine
    }
}

/// Stores a value out of line, so a type can hold an optional of itself.
@propertyWrapper
public struct Indirect<Value: Sendable & Equatable>: Sendable, Equatable {
    private var storage: [Value]

    public init(wrappedValue: Value?) { storage = wrappedValue.map { [$0] } ?? [] }

    public var wrappedValue: Value? {
        get { storage.first }
        set { storage = newValue.map { [$0] } ?? [] }
    }
}

extension Indirect: Codable where Value: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self.init(wrappedValue: container.decodeNil() ? nil : try container.decode(Value.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

extension KeyedDecodingContainer {
    /// A missing key decodes as nil, as it would for a plain optional.
    public func decode<Value: Codable>(_ type: Indirect<Value>.Type, forKey key: Key) throws -> Indirect<Value> {
        try decodeIfPresent(type, forKey: key) ?? Indirect(wrappedValue: nil)
    }
}
