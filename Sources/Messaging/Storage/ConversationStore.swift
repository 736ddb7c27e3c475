import EntativaCore
import EntativaModels
import SQLKit

/// Conversations and their members.
enum ConversationStore {
    struct Row: Decodable, Sendable {
        var id: Int64
        var kind: String
        var directKey: String?
        var createdBy: Int64
        var createdAt: Int64
        var activityAt: Int64
        var lastMessageAt: Int64?
        var memberCount: Int
        var disappearingSeconds: Int?
        var metadata: String?
    }

    struct MemberRow: Decodable, Sendable {
        var conversationId: Int64
        var accountId: Int64
        var role: String
        var state: String
        var addedBy: Int64?
        var requestNotifiedAt: Int64?
        var mutedUntil: Int64?
        var archivedAt: Int64?
        var joinedAt: Int64
        var lastSentDay: Int

        var account: AccountID { AccountID(rawValue: accountId) }
        var isAdmin: Bool { role == MemberRole.admin.rawValue }
        var isActive: Bool { state == MembershipState.active.rawValue }
    }

    /// A member's row joined with its conversation's, as lists read them.
    struct Joined: Sendable {
        var conversation: Row
        var member: MemberRow
    }

    static let deletedState = "deleted"

    /// A member's row with its conversation's, for `Joined`.
    private static let joinedColumns = """
        c.*, m.conversation_id, m.account_id, m.role, m.state, m.added_by, m.request_notified_at, m.muted_until, m.archived_at, m.joined_at,
        m.last_sent_day FROM messaging_members m JOIN messaging_conversations c ON c.id = m.conversation_id
        """

    static func directKey(_ first: AccountID, _ second: AccountID) -> String {
        "\(min(first.rawValue, second.rawValue)):\(max(first.rawValue, second.rawValue))"
    }

    // MARK: Conversations

    static func conversation(_ id: Int64, on db: any SQLDatabase) async throws -> Row? {
        try await db.raw("SELECT * FROM messaging_conversations WHERE id = \(bind: id)").first().map { try $0.decode(Row.self) }
    }

    static func direct(_ key: String, on db: any SQLDatabase) async throws -> Row? {
        try await db.raw("SELECT * FROM messaging_conversations WHERE direct_key = \(bind: key)").first().map { try $0.decode(Row.self) }
    }

    /// The pair's conversation with its members, in one statement: every direct send reads both.
    static func directWithMembers(_ key: String, on db: any SQLDatabase) async throws -> (Row, [MemberRow])? {
        let rows = try await db.raw("""
            SELECT c.*, m.conversation_id AS m_conversation_id, m.account_id AS m_account_id, m.role AS m_role, m.state AS m_state,
                m.added_by AS m_added_by, m.request_notified_at AS m_request_notified_at, m.muted_until AS m_muted_until,
                m.archived_at AS m_archived_at, m.joined_at AS m_joined_at, m.last_sent_day AS m_last_sent_day
            FROM messaging_conversations c LEFT JOIN messaging_members m ON m.conversation_id = c.id
            WHERE c.direct_key = \(bind: key) ORDER BY m.account_id
            """).all()
        guard let first = rows.first else { return nil }
        let members = try rows.filter { try !$0.decodeNil(column: "m_account_id") }.map { try $0.decode(MemberRow.self, prefix: "m_") }
        return (try first.decode(Row.self), members)
    }

    /// Inserts unless a direct conversation with the same key exists; answers whether it did.
    static func insert(_ row: Row, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            INSERT INTO messaging_conversations
                (id, kind, direct_key, created_by, created_at, activity_at, last_message_at, member_count, disappearing_seconds, metadata)
            VALUES (\(bind: row.id), \(bind: row.kind), \(bind: row.directKey), \(bind: row.createdBy), \(bind: row.createdAt), \(bind: row.activityAt),
                \(bind: row.lastMessageAt), \(bind: row.memberCount), \(bind: row.disappearingSeconds), \(bind: row.metadata))
            ON CONFLICT DO NOTHING RETURNING id
            """).first() != nil
    }

    static func touch(_ id: Int64, at now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE messaging_conversations SET activity_at = \(bind: now), last_message_at = \(bind: now) WHERE id = \(bind: id)").run()
    }

    /// Marks the activity of several conversations at once, each with its own latest message
    /// time; never moves a mark back.
    static func touch(_ latest: [Int64: Int64], on db: any SQLDatabase) async throws {
        guard !latest.isEmpty else { return }
        let cases = latest.map { id, at in SQLQueryString("WHEN \(bind: id) THEN \(bind: at)") }
        let at = SQLQueryString("(CASE id \(SQLList(cases, separator: SQLRaw(" "))) END)")
        try await db.raw("""
            UPDATE messaging_conversations
            SET activity_at = CASE WHEN activity_at > \(at) THEN activity_at ELSE \(at) END,
                last_message_at = CASE WHEN last_message_at > \(at) THEN last_message_at ELSE \(at) END
            WHERE id IN (\(binds: Array(latest.keys)))
            """).run()
    }

    static func setTimer(_ id: Int64, seconds: Int?, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE messaging_conversations SET disappearing_seconds = \(bind: seconds) WHERE id = \(bind: id)").run()
    }

    static func setMetadata(_ id: Int64, _ metadata: String?, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE messaging_conversations SET metadata = \(bind: metadata) WHERE id = \(bind: id)").run()
    }

    /// Recounts from the rows, so the count cannot drift from them.
    static func recount(_ id: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE messaging_conversations SET member_count = (
                SELECT COUNT(*) FROM messaging_members WHERE conversation_id = \(bind: id) AND state <> \(bind: deletedState))
            WHERE id = \(bind: id)
            """).run()
    }

    /// Locks the conversation's row (PostgreSQL), so membership changes of one group queue.
    static func lock(_ id: Int64, forUpdate: String, on db: any SQLDatabase) async throws -> Row? {
        try await db.raw("SELECT * FROM messaging_conversations WHERE id = \(bind: id)\(unsafeRaw: forUpdate)").first().map { try $0.decode(Row.self) }
    }

    static func delete(_ ids: [Int64], on db: any SQLDatabase) async throws {
        guard !ids.isEmpty else { return }
        try await db.raw("DELETE FROM messaging_members WHERE conversation_id IN (\(binds: ids))").run()
        try await db.raw("DELETE FROM messaging_conversations WHERE id IN (\(binds: ids))").run()
    }

    // MARK: Members

    static func insert(_ members: [MemberRow], on db: any SQLDatabase) async throws {
        guard !members.isEmpty else { return }
        let values = members.map {
            SQLGroupExpression([
                SQLBind($0.conversationId), SQLBind($0.accountId), SQLBind($0.role), SQLBind($0.state), SQLBind($0.addedBy), SQLBind($0.requestNotifiedAt),
                SQLBind($0.mutedUntil), SQLBind($0.archivedAt), SQLBind($0.joinedAt), SQLBind($0.lastSentDay),
            ])
        }
        try await db.raw("""
            INSERT INTO messaging_members
                (conversation_id, account_id, role, state, added_by, request_notified_at, muted_until, archived_at, joined_at, last_sent_day)
            VALUES \(SQLList(values)) ON CONFLICT DO NOTHING
            """).run()
    }

    static func member(_ conversation: Int64, _ account: AccountID, on db: any SQLDatabase) async throws -> MemberRow? {
        try await db.raw("""
            SELECT * FROM messaging_members WHERE conversation_id = \(bind: conversation) AND account_id = \(bind: account.rawValue)
            """).first().map { try $0.decode(MemberRow.self) }
    }

    static func members(_ conversation: Int64, on db: any SQLDatabase) async throws -> [MemberRow] {
        try await db.raw("SELECT * FROM messaging_members WHERE conversation_id = \(bind: conversation) ORDER BY account_id").all().map { try $0.decode(MemberRow.self) }
    }

    /// Members after `after` by account ID, deleted ones left out.
    static func members(_ conversation: Int64, after: Int64, limit: Int, on db: any SQLDatabase) async throws -> [MemberRow] {
        try await db.raw("""
            SELECT * FROM messaging_members
            WHERE conversation_id = \(bind: conversation) AND account_id > \(bind: after) AND state <> \(bind: deletedState)
            ORDER BY account_id LIMIT \(bind: limit)
            """).all().map { try $0.decode(MemberRow.self) }
    }

    /// Moves a member from one of `from` to `to`; answers whether it was in one of them.
    static func setState(
        _ conversation: Int64, _ account: AccountID, from: [String], to state: String, notifiedAt: Int64? = nil, on db: any SQLDatabase
    ) async throws -> Bool {
        try await db.raw("""
            UPDATE messaging_members SET state = \(bind: state), request_notified_at = \(bind: notifiedAt)
            WHERE conversation_id = \(bind: conversation) AND account_id = \(bind: account.rawValue) AND state IN (\(binds: from))
            RETURNING account_id
            """).first() != nil
    }

    static func markNotified(_ conversation: Int64, _ account: AccountID, at now: Int64, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            UPDATE messaging_members SET request_notified_at = \(bind: now)
            WHERE conversation_id = \(bind: conversation) AND account_id = \(bind: account.rawValue) AND state = 'request' AND request_notified_at IS NULL
            RETURNING account_id
            """).first() != nil
    }

    static func setRole(_ conversation: Int64, _ account: AccountID, _ role: MemberRole, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE messaging_members SET role = \(bind: role.rawValue) WHERE conversation_id = \(bind: conversation) AND account_id = \(bind: account.rawValue)
            """).run()
    }

    static func setSettings(_ conversation: Int64, _ account: AccountID, mutedUntil: Int64?, archivedAt: Int64?, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE messaging_members SET muted_until = \(bind: mutedUntil), archived_at = \(bind: archivedAt)
            WHERE conversation_id = \(bind: conversation) AND account_id = \(bind: account.rawValue)
            """).run()
    }

    /// A new message brings an archived conversation back, except for members who muted it.
    static func unarchive(_ conversation: Int64, now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE messaging_members SET archived_at = NULL
            WHERE conversation_id = \(bind: conversation) AND archived_at IS NOT NULL AND (muted_until IS NULL OR muted_until <= \(bind: now))
            """).run()
    }

    /// Records that `account` sent on `day`; answers whether it is its first message that day.
    static func firstSendOfDay(_ conversation: Int64, _ account: AccountID, day: Int, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            UPDATE messaging_members SET last_sent_day = \(bind: day)
            WHERE conversation_id = \(bind: conversation) AND account_id = \(bind: account.rawValue) AND last_sent_day <> \(bind: day)
            RETURNING account_id
            """).first() != nil
    }

    static func remove(_ conversation: Int64, _ accounts: [AccountID], on db: any SQLDatabase) async throws {
        guard !accounts.isEmpty else { return }
        try await db.raw("""
            DELETE FROM messaging_members WHERE conversation_id = \(bind: conversation) AND account_id IN (\(binds: accounts.map(\.rawValue)))
            """).run()
    }

    /// The account's conversations in `state`, latest activity first, after the cursor's
    /// (activity, id) position.
    static func page(
        of account: AccountID, state: MembershipState, archived: Bool, before: (activity: Int64, id: Int64)?, limit: Int, on db: any SQLDatabase
    ) async throws -> [Joined] {
        let archivedFilter = archived ? SQLRaw("m.archived_at IS NOT NULL") : SQLRaw("m.archived_at IS NULL")
        let cursor = before ?? (Int64.max, Int64.max)
        let rows = try await db.raw("""
            SELECT \(unsafeRaw: joinedColumns)
            WHERE m.account_id = \(bind: account.rawValue) AND m.state = \(bind: state.rawValue) AND \(archivedFilter)
                AND (c.activity_at < \(bind: cursor.activity) OR (c.activity_at = \(bind: cursor.activity) AND c.id < \(bind: cursor.id)))
            ORDER BY c.activity_at DESC, c.id DESC LIMIT \(bind: limit)
            """).all()
        return try joined(rows)
    }

    private static func joined(_ rows: [any SQLRow]) throws -> [Joined] {
        try rows.map { Joined(conversation: try $0.decode(Row.self), member: try $0.decode(MemberRow.self)) }
    }

    /// Every membership of the account, for erasing it.
    static func memberships(of account: AccountID, on db: any SQLDatabase) async throws -> [Joined] {
        let rows = try await db.raw("""
            SELECT \(unsafeRaw: joinedColumns)
            WHERE m.account_id = \(bind: account.rawValue)
            """).all()
        return try joined(rows)
    }

    /// The accounts whose direct conversation with `account` both sides have accepted, latest
    /// activity first: whom presence changes are worth telling.
    static func partners(of account: AccountID, limit: Int, on db: any SQLDatabase) async throws -> [AccountID] {
        try await db.raw("""
            SELECT other.account_id FROM messaging_members me
            JOIN messaging_conversations c ON c.id = me.conversation_id AND c.kind = 'direct'
            JOIN messaging_members other ON other.conversation_id = c.id AND other.account_id <> me.account_id
            WHERE me.account_id = \(bind: account.rawValue) AND me.state = 'active' AND other.state = 'active'
            ORDER BY c.activity_at DESC LIMIT \(bind: limit)
            """).all().map { AccountID(rawValue: try $0.decode(column: "account_id", as: Int64.self)) }
    }

    /// Which of `owners` have accepted their direct conversation with `viewer`.
    static func accepted(_ viewer: AccountID, by owners: [AccountID], on db: any SQLDatabase) async throws -> Set<AccountID> {
        let others = owners.filter { $0 != viewer }
        guard !others.isEmpty else { return [] }
        return Set(
            try await db.raw("""
                SELECT m.account_id FROM messaging_conversations c JOIN messaging_members m ON m.conversation_id = c.id
                WHERE c.direct_key IN (\(binds: others.map { directKey(viewer, $0) })) AND m.account_id IN (\(binds: others.map(\.rawValue)))
                    AND m.state = 'active'
                """).all().map { AccountID(rawValue: try $0.decode(column: "account_id", as: Int64.self)) })
    }

    /// Which of `conversations` the account is a member of, in `states`.
    static func memberOf(_ conversations: [Int64], account: AccountID, states: [String], on db: any SQLDatabase) async throws -> Set<Int64> {
        guard !conversations.isEmpty else { return [] }
        return Set(
            try await db.raw("""
                SELECT conversation_id FROM messaging_members
                WHERE account_id = \(bind: account.rawValue) AND conversation_id IN (\(binds: conversations)) AND state IN (\(binds: states))
                """).all().map { try $0.decode(column: "conversation_id", as: Int64.self) })
    }
}
