import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// Reading conversations and changing their settings: each member's own (mute, archive) and the
/// shared ones (the disappearing-messages timer, a group's encrypted metadata).
public struct Conversations: Sendable {
    let env: MessagingEnvironment

    public init(env: MessagingEnvironment) { self.env = env }

    static let visibleStates = [MembershipState.active.rawValue, MembershipState.request.rawValue]
    /// How far ahead a conversation may be muted: "until I unmute it" in practice.
    static let maxMuteMillis: Int64 = 100 * 366 * 24 * 3_600_000

    /// My conversations in `state`, latest activity first. A direct conversation with an account
    /// that is gone, suspended or blocked either way is left out.
    func list(caller: Principal, state: MembershipState, archived: Bool, cursor: String?, limit: Int) async throws -> Page<Conversation> {
        let rows = try await ConversationStore.page(
            of: caller.accountID, state: state, archived: archived, before: cursor.flatMap(Self.position), limit: limit + 1, on: env.database.sql)
        let (shown, next) = PageRequest.split(rows, limit: limit) { "\($0.conversation.activityAt)_\($0.conversation.id)" }
        let hidden = try await unreachableOthers(of: shown, caller: caller.accountID)
        return Page(
            items: shown.filter { row in Self.other(row, caller.accountID).map { !hidden.contains($0) } ?? true }.map { Self.render($0, caller.accountID) },
            nextCursor: next)
    }

    /// Parses a cursor of `list`: "<activity millis>_<conversation id>" (an underscore, so that
    /// no number, decimal or otherwise, passes for one).
    static func position(_ cursor: String) -> (activity: Int64, id: Int64)? {
        let parts = cursor.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 2, let activity = OutsideInteger.parse(parts[0], in: 0...Int64.max),
            let id = ConversationID(String(parts[1]))
        else { return nil }
        return (activity, id.rawValue)
    }

    func one(_ id: ConversationID, caller: Principal) async throws -> Conversation {
        Self.render(try await membership(id, caller: caller), caller.accountID)
    }

    /// The caller's membership of a conversation it may see; 404 otherwise, saying no more.
    func membership(_ id: ConversationID, caller: Principal) async throws -> ConversationStore.Joined {
        let db = env.database.sql
        guard let conversation = try await ConversationStore.conversation(id.rawValue, on: db),
            let member = try await ConversationStore.member(id.rawValue, caller.accountID, on: db), Self.visibleStates.contains(member.state)
        else { throw AppError.notFound("conversation") }
        let joined = ConversationStore.Joined(conversation: conversation, member: member)
        if try await !unreachableOthers(of: [joined], caller: caller.accountID).isEmpty {
            throw AppError.notFound("conversation")
        }
        return joined
    }

    func members(_ id: ConversationID, caller: Principal, after: AccountID?, limit: Int) async throws -> Page<ConversationMember> {
        _ = try await membership(id, caller: caller)
        let rows = try await ConversationStore.members(id.rawValue, after: after?.rawValue ?? 0, limit: limit + 1, on: env.database.sql)
        let (shown, next) = PageRequest.split(rows, limit: limit) { String($0.accountId) }
        return Page(items: shown.map(Self.member), nextCursor: next)
    }

    /// My own settings: only my sessions hear of the change.
    func updateSettings(_ id: ConversationID, _ form: ConversationSettingsRequest, caller: Principal) async throws -> Conversation {
        let now = env.now
        var validator = Validator()
        var mutedUntil: Int64?? = nil
        if let muted = form.mutedUntil {
            let millis = muted.map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
            validator.check(millis.map { $0 <= now + Self.maxMuteMillis } ?? true, "muted_until", "out_of_range", "may be at most 100 years ahead")
            mutedUntil = .some(millis)
        }
        try validator.validate()
        let joined = try await membership(id, caller: caller)
        let env = self.env
        let account = caller.accountID
        let current = joined.member
        let newMutedUntil = mutedUntil ?? current.mutedUntil
        let archivedAt = form.archived.map { $0 ? (current.archivedAt ?? now) : nil } ?? current.archivedAt
        let events = try await env.database.transaction { db -> [RealtimeEvent] in
            try await ConversationStore.setSettings(id.rawValue, account, mutedUntil: newMutedUntil, archivedAt: archivedAt, on: db)
            return try await env.kernel.realtime.publish(
                ConversationChanged.type, ConversationChanged(conversationId: id, change: "settings"), to: [account], on: db)
        }
        env.kernel.realtime.didCommit(events)
        return try await one(id, caller: caller)
    }

    /// Any member who has accepted a direct conversation, or an admin of a group, sets the timer
    /// for everyone.
    func setTimer(_ id: ConversationID, seconds: Int?, caller: Principal) async throws -> Conversation {
        if let seconds {
            var validator = Validator()
            validator.check(
                DisappearingTimer.seconds.contains(seconds), "seconds", "out_of_range",
                "must be \(DisappearingTimer.seconds.lowerBound)–\(DisappearingTimer.seconds.upperBound) seconds, or null for off")
            try validator.validate()
        }
        let joined = try await membership(id, caller: caller)
        try Self.requireManager(joined)
        try await changeShared(id, change: "timer") { db in try await ConversationStore.setTimer(id.rawValue, seconds: seconds, on: db) }
        return try await one(id, caller: caller)
    }

    /// A group's admins replace its metadata: opaque to the server (the members encrypt it).
    func setMetadata(_ id: ConversationID, _ metadata: String, caller: Principal) async throws -> Conversation {
        var validator = Validator()
        Self.checkMetadata(metadata, into: &validator)
        try validator.validate()
        let joined = try await membership(id, caller: caller)
        guard joined.conversation.kind == ConversationKind.group.rawValue else {
            throw AppError.invalid(field: "metadata", code: "direct", message: "belongs to groups; a direct conversation has none")
        }
        try Self.requireManager(joined)
        try await changeShared(id, change: "metadata") { db in try await ConversationStore.setMetadata(id.rawValue, metadata, on: db) }
        return try await one(id, caller: caller)
    }

    static func checkMetadata(_ metadata: String, into validator: inout Validator) {
        let bytes = metadata.utf8.count <= (Conversation.maxMetadataBytes + 2) / 3 * 4 ? Data(base64Encoded: metadata) : nil
        validator.check(
            bytes.map { !$0.isEmpty && $0.count <= Conversation.maxMetadataBytes } ?? false, "metadata", "invalid",
            "must be base64 of 1–\(Conversation.maxMetadataBytes) bytes")
    }

    /// Changes what every member shares and tells each of them.
    func changeShared(_ id: ConversationID, change: String, _ apply: @escaping @Sendable (any SQLDatabase) async throws -> Void) async throws {
        let env = self.env
        let events = try await env.database.transaction { db -> [RealtimeEvent] in
            try await apply(db)
            let members = try await ConversationStore.members(id.rawValue, on: db).filter { $0.state != ConversationStore.deletedState }
            return try await env.kernel.realtime.publish(
                ConversationChanged.type, ConversationChanged(conversationId: id, change: change), to: members.map(\.account), on: db)
        }
        env.kernel.realtime.didCommit(events)
    }

    /// Shared settings change by an accepted member of a direct conversation or a group's admin.
    static func requireManager(_ joined: ConversationStore.Joined) throws {
        guard joined.member.isActive else { throw AppError.forbidden("Accept the conversation first.") }
        if joined.conversation.kind == ConversationKind.group.rawValue && !joined.member.isAdmin {
            throw AppError.forbidden("Only the group's admins may change this.")
        }
    }

    /// The other accounts of `rows`' direct conversations that are not active or that block the
    /// caller either way.
    func unreachableOthers(of rows: [ConversationStore.Joined], caller: AccountID) async throws -> Set<AccountID> {
        let others = Array(Set(rows.compactMap { Self.other($0, caller) }.filter { $0 != caller }))
        guard !others.isEmpty else { return [] }
        let standings = try await env.standings.of(others)
        let blocked = try await env.kernel.blocks.blocked(with: caller, among: others)
        return Set(others.filter { standings[$0]?.isActive != true || blocked.contains($0) })
    }

    /// The other member of a direct conversation, from its key.
    static func other(_ row: ConversationStore.Joined, _ caller: AccountID) -> AccountID? {
        guard let key = row.conversation.directKey else { return nil }
        let ids = key.split(separator: ":").compactMap { Int64($0) }
        guard ids.count == 2 else { return nil }
        return AccountID(rawValue: ids[0] == caller.rawValue ? ids[1] : ids[0])
    }

    static func render(_ row: ConversationStore.Joined, _ caller: AccountID) -> Conversation {
        let conversation = row.conversation
        let member = row.member
        return Conversation(
            id: ConversationID(rawValue: conversation.id), kind: ConversationKind(rawValue: conversation.kind) ?? .group, otherAccountId: other(row, caller),
            memberCount: conversation.memberCount, state: MembershipState(rawValue: member.state) ?? .request,
            role: MemberRole(rawValue: member.role) ?? .member, mutedUntil: member.mutedUntil.map(Date.init(millisecondsSince1970:)),
            archived: member.archivedAt != nil, disappearingSeconds: conversation.disappearingSeconds, metadata: conversation.metadata,
            createdBy: AccountID(rawValue: conversation.createdBy), createdAt: Date(millisecondsSince1970: conversation.createdAt),
            lastMessageAt: conversation.lastMessageAt.map(Date.init(millisecondsSince1970:)))
    }

    static func member(_ row: ConversationStore.MemberRow) -> ConversationMember {
        ConversationMember(
            accountId: row.account, role: MemberRole(rawValue: row.role) ?? .member, state: MembershipState(rawValue: row.state) ?? .request,
            joinedAt: Date(millisecondsSince1970: row.joinedAt))
    }
}
