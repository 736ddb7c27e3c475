import EntativaCore
import EntativaModels
import SQLKit

/// Group conversations: made by one member (their first admin), grown and shrunk by admins, left
/// by anyone. A member added by someone they have no connection with gets the group as a
/// request. Membership changes of one group queue behind its row.
struct Groups: Sendable {
    let env: MessagingEnvironment

    func create(_ form: CreateConversationRequest, caller: Principal) async throws -> Conversation {
        if form.kind == .direct {
            var validator = Validator()
            validator.check(form.memberIds.count == 1, "member_ids", "count", "must name exactly one account for a direct conversation")
            validator.check(form.metadata == nil, "metadata", "direct", "belongs to groups; a direct conversation has none")
            try validator.validate()
            let id = try await DirectConversations(env: env).open(with: form.memberIds[0], caller: caller)
            return try await Conversations(env: env).one(id, caller: caller)
        }
        var validator = Validator()
        if let metadata = form.metadata { Conversations.checkMetadata(metadata, into: &validator) }
        let others = try await checkNewMembers(form.memberIds, field: "member_ids", caller: caller, into: &validator)
        try validator.validate()
        let states = try await admissions(others, by: caller)
        let env = self.env
        let now = env.now
        let id = env.kernel.ids.next()
        let me = caller.accountID
        let events = try await env.database.transaction { db -> [RealtimeEvent] in
            _ = try await ConversationStore.insert(
                ConversationStore.Row(
                    id: id, kind: ConversationKind.group.rawValue, directKey: nil, createdBy: me.rawValue, createdAt: now, activityAt: now,
                    lastMessageAt: nil, memberCount: others.count + 1, disappearingSeconds: nil, metadata: form.metadata),
                on: db)
            var rows = [Self.row(id, me, role: .admin, state: MembershipState.active.rawValue, addedBy: nil, now: now)]
            rows += others.map { Self.row(id, $0, role: .member, state: states[$0] ?? MembershipState.request.rawValue, addedBy: me, now: now) }
            try await ConversationStore.insert(rows, on: db)
            try await announceRequests(rows, conversation: id, by: me, on: db)
            return try await env.kernel.realtime.publish(
                ConversationChanged.type, ConversationChanged(conversationId: ConversationID(rawValue: id), change: "created"), to: rows.map(\.account), on: db)
        }
        env.kernel.realtime.didCommit(events)
        return try await Conversations(env: env).one(ConversationID(rawValue: id), caller: caller)
    }

    func add(_ accounts: [AccountID], to id: ConversationID, caller: Principal) async throws -> Conversation {
        let joined = try await groupMembership(id, caller: caller)
        guard joined.member.isAdmin, joined.member.isActive else { throw AppError.forbidden("Only the group's admins may add members.") }
        var validator = Validator()
        let others = try await checkNewMembers(accounts, field: "account_ids", caller: caller, into: &validator)
        try validator.validate()
        let states = try await admissions(others, by: caller)
        let env = self.env
        let now = env.now
        let me = caller.accountID
        let limit = env.settings.maxGroupMembers
        let events = try await env.database.transaction { db -> [RealtimeEvent] in
            _ = try await ConversationStore.lock(id.rawValue, forUpdate: env.database.forUpdate, on: db)
            let current = Set(try await ConversationStore.members(id.rawValue, on: db).map(\.account))
            let new = others.filter { !current.contains($0) }
            guard current.count + new.count <= limit else {
                throw AppError.invalid(field: "account_ids", code: "too_many", message: "would make the group bigger than \(limit) members")
            }
            let rows = new.map { Self.row(id.rawValue, $0, role: .member, state: states[$0] ?? MembershipState.request.rawValue, addedBy: me, now: now) }
            try await ConversationStore.insert(rows, on: db)
            try await ConversationStore.recount(id.rawValue, on: db)
            try await announceRequests(rows, conversation: id.rawValue, by: me, on: db)
            return try await env.kernel.realtime.publish(
                ConversationChanged.type, ConversationChanged(conversationId: id, change: "members"), to: Array(current) + new, on: db)
        }
        env.kernel.realtime.didCommit(events)
        return try await Conversations(env: env).one(id, caller: caller)
    }

    /// Anyone may leave; admins remove others. A group never lacks an admin while it has members:
    /// the longest-standing member takes over; the last one out deletes it.
    func remove(_ account: AccountID, from id: ConversationID, caller: Principal) async throws {
        let joined = try await groupMembership(id, caller: caller)
        if account != caller.accountID {
            guard joined.member.isAdmin, joined.member.isActive else { throw AppError.forbidden("Only the group's admins may remove members.") }
        }
        let env = self.env
        let events = try await env.database.transaction { db -> [RealtimeEvent] in
            _ = try await ConversationStore.lock(id.rawValue, forUpdate: env.database.forUpdate, on: db)
            let members = try await ConversationStore.members(id.rawValue, on: db)
            guard members.contains(where: { $0.account == account }) else { throw AppError.notFound("member") }
            return try await Self.removeLocked(account, from: id, members: members, env: env, on: db)
        }
        env.kernel.realtime.didCommit(events)
    }

    /// With the group's row locked and its `members` read.
    static func removeLocked(
        _ account: AccountID, from id: ConversationID, members: [ConversationStore.MemberRow], env: MessagingEnvironment, on db: any SQLDatabase
    ) async throws -> [RealtimeEvent] {
        try await ConversationStore.remove(id.rawValue, [account], on: db)
        let remaining = members.filter { $0.account != account }
        guard !remaining.isEmpty else {
            try await ConversationStore.delete([id.rawValue], on: db)
            return []
        }
        if !remaining.contains(where: { $0.isAdmin && $0.isActive }) {
            let successor = remaining.filter(\.isActive).min { ($0.joinedAt, $0.accountId) < ($1.joinedAt, $1.accountId) } ?? remaining[0]
            try await ConversationStore.setRole(id.rawValue, successor.account, .admin, on: db)
        }
        try await ConversationStore.recount(id.rawValue, on: db)
        let realtime = env.kernel.realtime
        return try await realtime.publish(ConversationChanged.type, ConversationChanged(conversationId: id, change: "members"), to: remaining.map(\.account), on: db)
            + realtime.publish(ConversationChanged.type, ConversationChanged(conversationId: id, change: "removed"), to: [account], on: db)
    }

    /// An admin makes another active member an admin, or an admin a member; the last admin
    /// cannot step down while others remain.
    func changeRole(of account: AccountID, in id: ConversationID, to role: MemberRole, caller: Principal) async throws -> ConversationMember {
        let joined = try await groupMembership(id, caller: caller)
        guard joined.member.isAdmin, joined.member.isActive else { throw AppError.forbidden("Only the group's admins may change roles.") }
        let env = self.env
        let (row, events) = try await env.database.transaction { db -> (ConversationStore.MemberRow, [RealtimeEvent]) in
            _ = try await ConversationStore.lock(id.rawValue, forUpdate: env.database.forUpdate, on: db)
            let members = try await ConversationStore.members(id.rawValue, on: db)
            guard var target = members.first(where: { $0.account == account }) else { throw AppError.notFound("member") }
            guard target.isActive else { throw AppError.conflict("The member has not accepted the group yet.") }
            if role == .member, target.isAdmin, members.filter({ $0.isAdmin && $0.isActive }).count == 1 {
                throw AppError.conflict("A group keeps at least one admin: make another member an admin first.")
            }
            try await ConversationStore.setRole(id.rawValue, account, role, on: db)
            target.role = role.rawValue
            let events = try await env.kernel.realtime.publish(
                ConversationChanged.type, ConversationChanged(conversationId: id, change: "members"), to: members.map(\.account), on: db)
            return (target, events)
        }
        env.kernel.realtime.didCommit(events)
        return Conversations.member(row)
    }

    private func groupMembership(_ id: ConversationID, caller: Principal) async throws -> ConversationStore.Joined {
        let joined = try await Conversations(env: env).membership(id, caller: caller)
        guard joined.conversation.kind == ConversationKind.group.rawValue else {
            throw AppError.invalid(field: "conversation_id", code: "direct", message: "is a direct conversation, whose members are fixed")
        }
        return joined
    }

    /// New members must be distinct, not me, active and not blocked either way; each unusable
    /// one is a field error that says no more than that.
    private func checkNewMembers(_ ids: [AccountID], field: String, caller: Principal, into validator: inout Validator) async throws -> [AccountID] {
        validator.check(
            (1...CreateConversationRequest.maxMembersPerRequest).contains(ids.count), field, "count",
            "must name 1–\(CreateConversationRequest.maxMembersPerRequest) accounts")
        validator.check(ids.count + 1 <= env.settings.maxGroupMembers, field, "too_many", "would make the group bigger than \(env.settings.maxGroupMembers) members")
        guard validator.errors.isEmpty, ids.count <= CreateConversationRequest.maxMembersPerRequest else { return [] }
        let standings = try await env.standings.of(ids)
        let blocked = try await env.kernel.blocks.blocked(with: caller.accountID, among: ids)
        var seen = Set<AccountID>()
        for (index, id) in ids.enumerated() {
            if id == caller.accountID {
                validator.add("\(field).\(index)", "self", "is my own account")
            } else if !seen.insert(id).inserted {
                validator.add("\(field).\(index)", "duplicate", "is named twice")
            } else if standings[id]?.isActive != true || blocked.contains(id) {
                validator.add("\(field).\(index)", "unavailable", "is not an account I can add")
            }
        }
        return ids
    }

    /// Each new member's state: active when they have a connection with the adder, otherwise a
    /// request, each counted against the adder's daily budget before anything is written.
    private func admissions(_ accounts: [AccountID], by caller: Principal) async throws -> [AccountID: String] {
        let contacts = try await env.contacts(caller.accountID, among: accounts)
        var states: [AccountID: String] = [:]
        for account in accounts {
            if contacts.contains(account) {
                states[account] = MembershipState.active.rawValue
            } else {
                try await env.kernel.attempts.consume(env.requestRule, keys: ["account:\(caller.accountID)"])
                states[account] = MembershipState.request.rawValue
            }
        }
        return states
    }

    private func announceRequests(_ rows: [ConversationStore.MemberRow], conversation: Int64, by adder: AccountID, on db: any SQLDatabase) async throws {
        for row in rows where row.state == MembershipState.request.rawValue {
            try await env.kernel.events.publish(
                MessageRequested(conversationId: ConversationID(rawValue: conversation), recipientId: row.account, senderId: adder), on: db)
        }
    }

    static func row(_ conversation: Int64, _ account: AccountID, role: MemberRole, state: String, addedBy: AccountID?, now: Int64) -> ConversationStore.MemberRow {
        ConversationStore.MemberRow(
            conversationId: conversation, accountId: account.rawValue, role: role.rawValue, state: state, addedBy: addedBy?.rawValue,
            requestNotifiedAt: state == MembershipState.request.rawValue ? now : nil, mutedUntil: nil, archivedAt: nil, joinedAt: now, lastSentDay: 0)
    }
}
