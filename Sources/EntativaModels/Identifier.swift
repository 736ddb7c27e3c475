import Foundation

/// A 64-bit, time-sortable identifier tagged with the entity it names, so an `AccountID` can never
/// be passed where a `SessionID` is expected. On the wire it is a decimal string: JavaScript
/// clients cannot hold 64-bit integers exactly.
public struct Identifier<Entity>: Hashable, Comparable, Sendable, Codable, LosslessStringConvertible {
    public let rawValue: Int64

    public init(rawValue: Int64) { self.rawValue = rawValue }

    public init?(_ description: String) {
        // Digits only: `Int64` alone would also take "+5", and an ID is never signed.
        guard description.utf8.count <= 19, description.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let value = Int64(description), value > 0
        else { return nil }
        self.rawValue = value
    }

    public var description: String { String(rawValue) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = Self(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an identifier: \(text)")
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

public enum AccountEntity {}
public enum SessionEntity {}
public enum SecurityEventEntity {}
public enum JobEntity {}

public typealias AccountID = Identifier<AccountEntity>
public typealias SessionID = Identifier<SessionEntity>
public typealias SecurityEventID = Identifier<SecurityEventEntity>
public typealias JobID = Identifier<JobEntity>
