import EntativaCore
import EntativaModels
import SQLKit

/// The conversation a direct message belongs to, made by the first message between two
/// accounts. The recipient's side starts as a **request** unless the recipient follows the
/// sender or they are friends; the request is announced once (`message_request`).
struct DirectConversations: Sendable {
    let env: MessagingEnvironment

    /// What a send learns about the pair before its transaction: reads that need no lock, and the
    /// graph look-up, which must not run inside a transaction.
    struct Plan: Sendable {
        var sender: AccountID
        var recipient: AccountID
        var existing: ConversationStore.Row?
        var members: [ConversationStore.MemberRow]
        var recipientIsContact: Bool

        func member(_ account: AccountID) -> ConversationStore.MemberRow? { members.first { $0.account == account } }
        /// The recipient's side will be a request that has not been announced yet.
        var recipientState: String {
            guard let state = member(recipient)?.state, state != ConversationStore.deletedState else {
                return recipientIsContact ? MembershipState.active.rawValue : MembershipState.request.rawValue
            }
            return state
        }
        /// Whether the send starts a new request (counted against the sender's daily budget).
        var startsRequest: Bool {
            let state = member(recipient)?.state
            return sender != recipient && !recipientIsContact && (state == nil || state == ConversationStore.deletedState)
        }
    }

    func plan(from sender: AccountID, to recipient: AccountID) async throws -> Plan {
        let db = env.database.sql
        let found = try await ConversationStore.directWithMembers(ConversationStore.directKey(sender, recipient), on: db)
        var plan = Plan(sender: sender, recipient: recipient, existing: found?.0, members: found?.1 ?? [], recipientIsContact: true)
        let recipientState = plan.member(recipient)?.state
        if recipientState == nil || recipientState == ConversationStore.deletedState {
            plan.recipientIsContact = try await env.isContact(sender, of: recipient)
        }
        if plan.startsRequest {
            // Reserved before any work, so a spammer's burst stops at the budget.
            try await env.kernel.attempts.consume(env.requestRule, keys: ["account:\(sender)"])
        }
        return plan
    }

    /// Inside the send's transaction: makes the conversation or brings back a side that deleted
    /// it, marks the activity, and publishes the request's notice and the day's first message.
    /// Answers the conversation's ID.
    func record(_ plan: Plan, message: Bool, now: Int64, on db: any SQLDatabase) async throws -> ConversationID {
        let id = try await ensure(plan, now: now, on: db)
        if let sender = plan.member(plan.sender), sender.state != MembershipState.active.rawValue {
            // Answering a request accepts it; writing again undoes my deleting it.
            _ = try await ConversationStore.setState(
                id.rawValue, plan.sender, from: [MembershipState.request.rawValue, ConversationStore.deletedState], to: MembershipState.active.rawValue, on: db)
        }
        if let recipient = plan.member(plan.recipient), recipient.state == ConversationStore.deletedState {
            _ = try await ConversationStore.setState(id.rawValue, plan.recipient, from: [ConversationStore.deletedState], to: plan.recipientState, on: db)
        }
        if plan.existing != nil, plan.members.contains(where: { $0.state == ConversationStore.deletedState }) {
            try await ConversationStore.recount(id.rawValue, on: db)
        }
        guard message else { return id }
        try await ConversationStore.touch(id.rawValue, at: now, on: db)
        if plan.members.contains(where: { $0.archivedAt != nil }) { try await ConversationStore.unarchive(id.rawValue, now: now, on: db) }
        let recipientNotified = plan.member(plan.recipient).flatMap { $0.state == ConversationStore.deletedState ? nil : $0.requestNotifiedAt }
        if plan.recipientState == MembershipState.request.rawValue, recipientNotified == nil,
            try await ConversationStore.markNotified(id.rawValue, plan.recipient, at: now, on: db)
        {
            try await env.kernel.events.publish(MessageRequested(conversationId: id, recipientId: plan.recipient, senderId: plan.sender), on: db)
        }
        let day = Int(now / 86_400_000)
        if plan.sender != plan.recipient, plan.member(plan.sender)?.lastSentDay != day,
            try await ConversationStore.firstSendOfDay(id.rawValue, plan.sender, day: day, on: db)
        {
            try await env.kernel.events.publish(DirectMessageSent(senderId: plan.sender, recipientId: plan.recipient, sentAt: now), on: db)
        }
        return id
    }

    /// The conversation, when a message in it needs nothing of `record` but its activity marked:
    /// it exists, neither side must be brought back or accepted, no request waits to be
    /// announced, nobody archived it, and the sender already wrote today. Such a send can be
    /// committed together with others (`DirectSendBatcher`). Every branch of `record` above must
    /// make this answer nil.
    func onlyTouches(_ plan: Plan, now: Int64) -> ConversationID? {
        guard let existing = plan.existing, plan.member(plan.sender)?.state == MembershipState.active.rawValue,
            !plan.members.contains(where: { $0.state == ConversationStore.deletedState || $0.archivedAt != nil }),
            plan.recipientState != MembershipState.request.rawValue || plan.member(plan.recipient)?.requestNotifiedAt != nil,
            plan.sender == plan.recipient || plan.member(plan.sender)?.lastSentDay == Int(now / 86_400_000)
        else { return nil }
        return ConversationID(rawValue: existing.id)
    }

    /// The pair's conversation, made with both members when it is new. Two first messages at
    /// once make one: the second finds the first's row.
    private func ensure(_ plan: Plan, now: Int64, on db: any SQLDatabase) async throws -> ConversationID {
        if let existing = plan.existing { return ConversationID(rawValue: existing.id) }
        let key = ConversationStore.directKey(plan.sender, plan.recipient)
        let row = ConversationStore.Row(
            id: env.kernel.ids.next(), kind: ConversationKind.direct.rawValue, directKey: key, createdBy: plan.sender.rawValue, createdAt: now,
            activityAt: now, lastMessageAt: nil, memberCount: plan.sender == plan.recipient ? 1 : 2, disappearingSeconds: nil, metadata: nil)
        guard try await ConversationStore.insert(row, on: db) else {
            guard let winner = try await ConversationStore.direct(key, on: db) else { throw AppError.unavailable("The conversation could not be made; try again.") }
            return ConversationID(rawValue: winner.id)
        }
        var members = [member(row.id, plan.sender, state: MembershipState.active.rawValue, now: now)]
        if plan.recipient != plan.sender { members.append(member(row.id, plan.recipient, state: plan.recipientState, now: now)) }
        try await ConversationStore.insert(members, on: db)
        return ConversationID(rawValue: row.id)
    }

    private func member(_ conversation: Int64, _ account: AccountID, state: String, now: Int64) -> ConversationStore.MemberRow {
        ConversationStore.MemberRow(
            conversationId: conversation, accountId: account.rawValue, role: MemberRole.member.rawValue, state: state, addedBy: nil,
            requestNotifiedAt: nil, mutedUntil: nil, archivedAt: nil, joinedAt: now, lastSentDay: 0)
    }

    /// Whether `recipient` takes interruptions from `sender` (calls, typing, receipts): it has
    /// accepted their conversation, or it has a connection with the sender.
    func accepts(_ recipient: AccountID, from sender: AccountID) async throws -> Bool {
        guard recipient != sender else { return true }
        let db = env.database.sql
        if let conversation = try await ConversationStore.direct(ConversationStore.directKey(sender, recipient), on: db),
            let member = try await ConversationStore.member(conversation.id, recipient, on: db)
        {
            if member.isActive { return true }
            if member.state == MembershipState.request.rawValue { return false }
        }
        return try await env.isContact(sender, of: recipient)
    }

    /// Creating a direct conversation without a message: it exists for both, and the recipient
    /// hears of a request only with the first message.
    func open(with recipient: AccountID, caller: Principal) async throws -> ConversationID {
        if recipient != caller.accountID { try await env.requireReachable(recipient, from: caller.accountID) }
        let plan = try await plan(from: caller.accountID, to: recipient)
        let env = self.env
        let now = env.now
        return try await env.database.transaction { db in try await record(plan, message: false, now: now, on: db) }
    }
}
