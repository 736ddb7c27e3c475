import Foundation

public enum ConversationEntity {}
public typealias ConversationID = Identifier<ConversationEntity>

public enum ConversationKind: String, Codable, Sendable, CaseIterable {
    /// Two accounts (or one, writing to itself); made by the first message between them.
    case direct
    /// Up to 1,500 members, made by one of them.
    case group
}

/// Where a conversation stands for one member.
public enum MembershipState: String, Codable, Sendable, CaseIterable {
    case active
    /// A first message (or a group invitation) from someone the member has no connection with:
    /// waits for the member to accept, delete or block. Receipts, typing and calls do not reach
    /// the member meanwhile.
    case request
}

public enum MemberRole: String, Codable, Sendable, CaseIterable {
    case admin
    case member
}

/// The disappearing-messages timers a conversation may have, in seconds; none means messages stay.
public enum DisappearingTimer {
    public static let seconds = 30...(4 * 7 * 24 * 3_600)
}

/// A conversation as one member sees it. The server keeps who is in it and each member's
/// settings; what is said travels only as ciphertext envelopes.
public struct Conversation: Codable, Sendable, Equatable {
    /// Opaque group metadata (its name and picture, encrypted by the members): base64 of at most
    /// this many bytes.
    public static let maxMetadataBytes = 4_096
    public var id: ConversationID
    public var kind: ConversationKind
    /// The other account of a direct conversation (myself when I write to myself).
    public var otherAccountId: AccountID?
    public var memberCount: Int
    public var state: MembershipState
    public var role: MemberRole
    public var mutedUntil: Date?
    public var archived: Bool
    public var disappearingSeconds: Int?
    public var metadata: String?
    public var createdBy: AccountID
    public var createdAt: Date
    public var lastMessageAt: Date?

    public init(
        id: ConversationID, kind: ConversationKind, otherAccountId: AccountID?, memberCount: Int, state: MembershipState, role: MemberRole,
        mutedUntil: Date?, archived: Bool, disappearingSeconds: Int?, metadata: String?, createdBy: AccountID, createdAt: Date, lastMessageAt: Date?
    ) {
        self.id = id
        self.kind = kind
        self.otherAccountId = otherAccountId
        self.memberCount = memberCount
        self.state = state
        self.role = role
        self.mutedUntil = mutedUntil
        self.archived = archived
        self.disappearingSeconds = disappearingSeconds
        self.metadata = metadata
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.lastMessageAt = lastMessageAt
    }
}

public struct ConversationMember: Codable, Sendable, Equatable {
    public var accountId: AccountID
    public var role: MemberRole
    public var state: MembershipState
    public var joinedAt: Date

    public init(accountId: AccountID, role: MemberRole, state: MembershipState, joinedAt: Date) {
        self.accountId = accountId
        self.role = role
        self.state = state
        self.joinedAt = joinedAt
    }
}

/// A direct conversation with one account, or a group with the members named (I am its admin).
public struct CreateConversationRequest: Codable, Sendable {
    /// Members a group may be created with, or added in one request.
    public static let maxMembersPerRequest = 100
    public var kind: ConversationKind
    public var memberIds: [AccountID]
    public var metadata: String?

    public init(kind: ConversationKind, memberIds: [AccountID], metadata: String? = nil) {
        self.kind = kind
        self.memberIds = memberIds
        self.metadata = metadata
    }
}

public struct AddMembersRequest: Codable, Sendable {
    public var accountIds: [AccountID]

    public init(accountIds: [AccountID]) { self.accountIds = accountIds }
}

public struct ChangeMemberRequest: Codable, Sendable {
    public var role: MemberRole

    public init(role: MemberRole) { self.role = role }
}

/// My own settings of a conversation; a field left out keeps its value, `muted_until: null` unmutes.
public struct ConversationSettingsRequest: Codable, Sendable {
    public var mutedUntil: Date??
    public var archived: Bool?

    public init(mutedUntil: Date?? = nil, archived: Bool? = nil) {
        self.mutedUntil = mutedUntil
        self.archived = archived
    }

    enum CodingKeys: String, CodingKey {
        case mutedUntil
        case archived
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        mutedUntil = container.contains(.mutedUntil) ? .some(try container.decodeNil(forKey: .mutedUntil) ? nil : try container.decode(Date.self, forKey: .mutedUntil)) : nil
        archived = try container.decodeIfPresent(Bool.self, forKey: .archived)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if let mutedUntil {
            if let date = mutedUntil { try container.encode(date, forKey: .mutedUntil) } else { try container.encodeNil(forKey: .mutedUntil) }
        }
        try container.encodeIfPresent(archived, forKey: .archived)
    }
}

/// The conversation's disappearing-messages timer, for every member; null turns it off.
public struct DisappearingTimerRequest: Codable, Sendable {
    public var seconds: Int?

    public init(seconds: Int?) { self.seconds = seconds }

    enum CodingKeys: String, CodingKey { case seconds }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // Required but nullable: a body that forgets the field must not turn the timer off.
        guard container.contains(.seconds) else {
            throw DecodingError.keyNotFound(CodingKeys.seconds, .init(codingPath: decoder.codingPath, debugDescription: "seconds is required (null turns the timer off)"))
        }
        seconds = try container.decodeIfPresent(Int.self, forKey: .seconds)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if let seconds { try container.encode(seconds, forKey: .seconds) } else { try container.encodeNil(forKey: .seconds) }
    }
}

public struct GroupMetadataRequest: Codable, Sendable {
    public var metadata: String

    public init(metadata: String) { self.metadata = metadata }
}

/// The realtime event `conversation`: something about a conversation changed for me (a member
/// came or went, its timer or metadata, my own settings from another session); fetch it again.
public struct ConversationChanged: Codable, Sendable, Equatable {
    public static let type = "conversation"
    public var conversationId: ConversationID
    /// `created`, `accepted`, `members`, `timer`, `metadata`, `settings` or `removed`.
    public var change: String

    public init(conversationId: ConversationID, change: String) {
        self.conversationId = conversationId
        self.change = change
    }
}
