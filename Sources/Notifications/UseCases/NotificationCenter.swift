import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// Filters of the notification lists.
public struct NotificationFilter: Sendable {
    public var types: [String] = []
    public var unreadOnly = false

    public init(types: [String] = [], unreadOnly: Bool = false) {
        self.types = types
        self.unreadOnly = unreadOnly
    }
}

/// The recipient's side: the grouped and flat lists, read marks, unread counts and deletion.
/// Actors are shown as the recipient may see them now: a notification whose only actors are
/// hidden (blocked since, suspended, deleted) is left out.
public struct NotificationCenter: Sendable {
    let env: NotificationsEnvironment
    static let actorsPerGroup = 8

    public func groups(_ caller: Principal, filter: NotificationFilter, after cursor: KeysetCursor?, limit: Int) async throws -> Page<NotificationGroup> {
        let db = env.database.sql
        var conditions: [SQLQueryString] = ["account_id = \(bind: caller.accountID.rawValue)"]
        if !filter.types.isEmpty { conditions.append("type IN (\(binds: filter.types))") }
        let hidden = try await hiddenTypes(caller)
        if !hidden.isEmpty { conditions.append("type NOT IN (\(binds: hidden))") }
        if filter.unreadOnly { conditions.append("unread_count > 0") }
        if let cursor {
            // Groups move to the top when they grow, so IDs alone can't page them: (latest_at, id).
            conditions.append("(latest_at < \(bind: cursor.first) OR (latest_at = \(bind: cursor.first) AND id < \(bind: cursor.second)))")
        }
        let rows = try await db.raw("""
            SELECT * FROM notification_groups WHERE \(SQLList(conditions, separator: SQLRaw(" AND ")))
            ORDER BY latest_at DESC, id DESC LIMIT \(bind: limit + 1)
            """).all().map { try GroupRow(row: $0) }
        let (page, next) = PageRequest.split(rows, limit: limit) { KeysetCursor($0.latestAt, $0.id.rawValue).text }
        let newest = try await NotificationStore.newest(inGroups: page.map(\.id), perGroup: Self.actorsPerGroup, on: db)
        let profiles = try await visibleActors(newest.compactMap(\.actor), to: caller)
        let byGroup = Dictionary(grouping: newest, by: \.groupId)
        let items: [NotificationGroup] = page.compactMap { group in
            let members = byGroup[group.id] ?? []
            let actors = members.compactMap { $0.actor.flatMap { profiles[$0] } }
            if members.contains(where: { $0.actor != nil }), actors.isEmpty { return nil }
            let kind = env.catalog.kind(group.type)
            return NotificationGroup(
                groupKey: group.groupKey, type: group.type, target: group.target, actors: actors, count: group.count,
                unread: group.unreadCount > 0, text: kind?.render(actorName: actors.first?.username, count: group.count) ?? group.type,
                latestNotificationId: group.latestNotificationId,
                firstAt: Date(millisecondsSince1970: group.firstAt), latestAt: Date(millisecondsSince1970: group.latestAt))
        }
        return Page(items: items, nextCursor: next)
    }

    public func flat(_ caller: Principal, filter: NotificationFilter, page: PageRequest) async throws -> Page<AppNotification> {
        let db = env.database.sql
        var conditions: [SQLQueryString] = ["n.account_id = \(bind: caller.accountID.rawValue)"]
        if !filter.types.isEmpty { conditions.append("n.type IN (\(binds: filter.types))") }
        let hidden = try await hiddenTypes(caller)
        if !hidden.isEmpty { conditions.append("n.type NOT IN (\(binds: hidden))") }
        if filter.unreadOnly { conditions.append("n.read_at IS NULL") }
        if let before = page.before { conditions.append("n.id < \(bind: before)") }
        let rows = try await db.raw("""
            SELECT n.*, g.group_key FROM notifications n JOIN notification_groups g ON g.id = n.group_id
            WHERE \(SQLList(conditions, separator: SQLRaw(" AND "))) ORDER BY n.id DESC LIMIT \(bind: page.limit + 1)
            """).all()
        let decoded = try rows.map { (try NotificationRow(row: $0), try $0.decode(column: "group_key", as: String.self)) }
        let (shown, next) = PageRequest.split(decoded, limit: page.limit) { $0.0.id.description }
        let profiles = try await visibleActors(shown.compactMap { $0.0.actor }, to: caller)
        let notifier = Notifier(env: env)
        let items: [AppNotification] = shown.compactMap { row, key in
            let actor = row.actor.flatMap { profiles[$0] }
            if row.actor != nil, actor == nil { return nil }
            return notifier.render(row, actor: actor, groupKey: key)
        }
        return Page(items: items, nextCursor: next)
    }

    private func visibleActors(_ ids: [AccountID], to caller: Principal) async throws -> [AccountID: Account] {
        guard !ids.isEmpty else { return [:] }
        let accounts = try await env.profiles.accounts(Array(Set(ids)), viewer: Principal.ordinaryAccount(caller.accountID))
        return Dictionary(uniqueKeysWithValues: accounts.map { ($0.id, $0) })
    }

    /// Types whose in-app channel the caller switched off: stored for push and email, not listed.
    private func hiddenTypes(_ caller: Principal) async throws -> [String] {
        try await Preferences(env: env).get(caller.accountID).types.filter { !$0.value.inApp }.map(\.key).sorted()
    }

    public func unreadCount(_ caller: Principal) async throws -> UnreadCount {
        let hidden = try await hiddenTypes(caller)
        let except: SQLQueryString = hidden.isEmpty ? "" : " AND type NOT IN (\(binds: hidden))"
        let row = try await env.database.sql.raw("""
            SELECT COALESCE(SUM(unread_count), 0) AS notifications, COUNT(*) AS groups FROM notification_groups
            WHERE account_id = \(bind: caller.accountID.rawValue) AND unread_count > 0\(except)
            """).first()
        return UnreadCount(
            notifications: Int(try row?.decode(column: "notifications", as: Int64.self) ?? 0), groups: Int(try row?.decode(column: "groups", as: Int64.self) ?? 0))
    }

    public func markGroupRead(_ caller: Principal, key: String) async throws {
        let env = self.env
        try await env.database.transaction { db in
            try await NotificationStore.lock([caller.accountID], engine: env.database.engine, on: db)
            guard let group = try await NotificationStore.group(key: key, of: caller.accountID, on: db) else { throw AppError.notFound("notification group") }
            try await db.raw("""
                UPDATE notifications SET read_at = \(bind: env.clock.nowMillis()) WHERE group_id = \(bind: group.id.rawValue) AND read_at IS NULL
                """).run()
            try await NotificationStore.refresh(groupID: group.id, on: db)
        }
    }

    /// Marks everything read, or everything up to a notification the client has shown.
    public func markAllRead(_ caller: Principal, upTo: NotificationID?) async throws {
        let env = self.env
        let account = caller.accountID.rawValue
        try await env.database.transaction { db in
            try await NotificationStore.lock([caller.accountID], engine: env.database.engine, on: db)
            let limit: SQLQueryString = upTo.map { " AND id <= \(bind: $0.rawValue)" } ?? ""
            try await db.raw("""
                UPDATE notifications SET read_at = \(bind: env.clock.nowMillis()) WHERE account_id = \(bind: account) AND read_at IS NULL\(limit)
                """).run()
            if upTo == nil {
                try await db.raw("UPDATE notification_groups SET unread_count = 0 WHERE account_id = \(bind: account)").run()
            } else {
                let groups = try await db.raw("SELECT id FROM notification_groups WHERE account_id = \(bind: account) AND unread_count > 0").all()
                for row in groups {
                    try await NotificationStore.refresh(groupID: NotificationGroupID(rawValue: try row.decode(column: "id", as: Int64.self)), on: db)
                }
            }
        }
    }

    public func deleteGroup(_ caller: Principal, key: String) async throws {
        let engine = env.database.engine
        try await env.database.transaction { db in
            try await NotificationStore.lock([caller.accountID], engine: engine, on: db)
            guard let group = try await NotificationStore.group(key: key, of: caller.accountID, on: db) else { throw AppError.notFound("notification group") }
            try await NotificationStore.deleteGroup(group, on: db)
        }
    }

    public func delete(_ caller: Principal, id: NotificationID) async throws {
        let engine = env.database.engine
        try await env.database.transaction { db in
            guard try await NotificationStore.find(id, of: caller.accountID, on: db) != nil else { throw AppError.notFound("notification") }
            try await NotificationStore.delete(id, engine: engine, on: db)
        }
    }
}
