import Foundation

/// Who may see whether I am online and when I was last seen.
public enum PresenceVisibility: String, Codable, Sendable, CaseIterable {
    case everyone
    /// Accounts I follow or am friends with, and those whose direct conversation I accepted.
    case contacts
    case nobody
}

public struct PresenceSettings: Codable, Sendable, Equatable {
    public var visibility: PresenceVisibility

    public init(visibility: PresenceVisibility) { self.visibility = visibility }
}

/// One account's presence as the caller may see it: `visible` false says nothing more.
public struct AccountPresence: Codable, Sendable, Equatable {
    public var accountId: AccountID
    public var visible: Bool
    public var online: Bool?
    public var lastSeenAt: Date?

    public init(accountId: AccountID, visible: Bool, online: Bool?, lastSeenAt: Date?) {
        self.accountId = accountId
        self.visible = visible
        self.online = online
        self.lastSeenAt = lastSeenAt
    }
}

/// The realtime event `presence`: an account I talk to came online or went away.
public struct PresenceChanged: Codable, Sendable, Equatable {
    public static let type = "presence"
    public var accountId: AccountID
    public var online: Bool
    public var lastSeenAt: Date?

    public init(accountId: AccountID, online: Bool, lastSeenAt: Date?) {
        self.accountId = accountId
        self.online = online
        self.lastSeenAt = lastSeenAt
    }
}

public enum ReceiptKind: String, Codable, Sendable, CaseIterable {
    case delivered
    case read
}

/// A `receipt` frame a client sends: its device has (or has shown) the sender's envelopes.
public struct ReceiptRequest: Codable, Sendable {
    public static let maxEnvelopes = 100
    public var to: AccountID
    public var kind: ReceiptKind
    /// The envelope IDs the sender's send answered with (`SentMessage.envelopes`).
    public var envelopeIds: [EnvelopeID]

    public init(to: AccountID, kind: ReceiptKind, envelopeIds: [EnvelopeID]) {
        self.to = to
        self.kind = kind
        self.envelopeIds = envelopeIds
    }
}

/// What the sender's sockets get, as `receipt`.
public struct Receipt: Codable, Sendable, Equatable {
    public var from: AccountID
    public var kind: ReceiptKind
    public var envelopeIds: [EnvelopeID]

    public init(from: AccountID, kind: ReceiptKind, envelopeIds: [EnvelopeID]) {
        self.from = from
        self.kind = kind
        self.envelopeIds = envelopeIds
    }
}
