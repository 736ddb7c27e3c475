import EntativaModels
import Foundation

extension EntativaClient {
    /// My conversations, latest activity first: accepted ones, or (`state: .request`) message
    /// requests waiting for me.
    public func conversations(
        state: MembershipState = .active, archived: Bool = false, cursor: String? = nil, limit: Int? = nil
    ) async throws -> Page<Conversation> {
        let query = [URLQueryItem(name: "state", value: state.rawValue), URLQueryItem(name: "archived", value: archived ? "true" : "false")]
        return try await send("GET", "/api/v1/conversations", query: query + Self.pageQuery(cursor: cursor, limit: limit))
    }

    /// A direct conversation with one account (made if needed) or a group I administer.
    public func createConversation(_ form: CreateConversationRequest, idempotencyKey: String? = nil) async throws -> Conversation {
        try await send("POST", "/api/v1/conversations", body: form, idempotencyKey: idempotencyKey)
    }

    public func conversation(_ id: ConversationID) async throws -> Conversation {
        try await send("GET", "/api/v1/conversations/\(id)")
    }

    /// Deletes a direct conversation for me (declining it when it is a request), or leaves a group.
    public func deleteConversation(_ id: ConversationID) async throws {
        let _: Empty = try await send("DELETE", "/api/v1/conversations/\(id)")
    }

    public func acceptConversation(_ id: ConversationID) async throws -> Conversation {
        try await send("POST", "/api/v1/conversations/\(id)/accept")
    }

    /// Blocks the other account (or whoever added me to the group) and deletes the conversation.
    public func blockConversation(_ id: ConversationID) async throws {
        let _: Empty = try await send("POST", "/api/v1/conversations/\(id)/block")
    }

    /// Mutes (`mutedUntil: .some(nil)` unmutes) or archives the conversation for me.
    public func updateConversationSettings(_ id: ConversationID, _ form: ConversationSettingsRequest) async throws -> Conversation {
        try await send("PATCH", "/api/v1/conversations/\(id)/settings", body: form)
    }

    /// The disappearing-messages timer for every member; nil turns it off.
    public func setDisappearingTimer(_ id: ConversationID, seconds: Int?) async throws -> Conversation {
        try await send("PUT", "/api/v1/conversations/\(id)/timer", body: DisappearingTimerRequest(seconds: seconds))
    }

    /// Replaces a group's metadata, which the members encrypt and the server never reads.
    public func setGroupMetadata(_ id: ConversationID, _ metadata: Data) async throws -> Conversation {
        try await send("PUT", "/api/v1/conversations/\(id)/metadata", body: GroupMetadataRequest(metadata: metadata.base64EncodedString()))
    }

    public func conversationMembers(_ id: ConversationID, cursor: String? = nil, limit: Int? = nil) async throws -> Page<ConversationMember> {
        try await send("GET", "/api/v1/conversations/\(id)/members", query: Self.pageQuery(cursor: cursor, limit: limit))
    }

    public func addConversationMembers(_ id: ConversationID, _ accounts: [AccountID]) async throws -> Conversation {
        try await send("POST", "/api/v1/conversations/\(id)/members", body: AddMembersRequest(accountIds: accounts))
    }

    /// Removes a member (admins), or leaves when `account` is mine.
    public func removeConversationMember(_ id: ConversationID, _ account: AccountID) async throws {
        let _: Empty = try await send("DELETE", "/api/v1/conversations/\(id)/members/\(account)")
    }

    public func changeConversationMember(_ id: ConversationID, _ account: AccountID, role: MemberRole) async throws -> ConversationMember {
        try await send("PATCH", "/api/v1/conversations/\(id)/members/\(account)", body: ChangeMemberRequest(role: role))
    }
}
