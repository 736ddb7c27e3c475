import EntativaCore
import EntativaModels
import Foundation

/// Online and last seen, shown as each account's setting allows (everyone, contacts, nobody;
/// contacts by default). An account is online while one of its sockets is connected to an
/// instance that keeps its rows fresh; when its last socket goes it is last seen then. Changes
/// reach the sockets of the accounts it talks to (accepted direct conversations, the 100 most
/// recent) as `presence` events, never stored.
struct Presence: Sendable {
    let env: MessagingEnvironment

    /// Rows older than this belong to an instance that stopped refreshing them.
    static let freshnessMillis: Int64 = 150_000
    static let heartbeat: Duration = .seconds(60)
    static let maxPartners = 100
    static let maxAccountsPerRead = 100

    func of(_ ids: [AccountID], caller: Principal) async throws -> [AccountPresence] {
        var validator = Validator()
        validator.check((1...Self.maxAccountsPerRead).contains(ids.count), "id[]", "count", "must name 1–\(Self.maxAccountsPerRead) accounts")
        try validator.validate()
        let unique = Array(Set(ids))
        let visible = try await visible(unique, to: caller.accountID)
        let shown = Array(visible)
        let db = env.database.sql
        let rows = try await PresenceStore.rows(shown, on: db)
        let online = try await PresenceStore.online(shown, since: env.now - Self.freshnessMillis, on: db)
        return ids.map { id in
            guard visible.contains(id) else { return AccountPresence(accountId: id, visible: false, online: nil, lastSeenAt: nil) }
            let isOnline = online.contains(id)
            return AccountPresence(
                accountId: id, visible: true, online: isOnline, lastSeenAt: isOnline ? nil : rows[id]?.lastSeenAt.map(Date.init(millisecondsSince1970:)))
        }
    }

    /// Which of `owners` show their presence to `viewer`: active accounts, not blocked either way,
    /// whose setting includes the viewer. Anything not known is hidden (fail closed).
    func visible(_ owners: [AccountID], to viewer: AccountID) async throws -> Set<AccountID> {
        let others = owners.filter { $0 != viewer }
        var visible: Set<AccountID> = owners.contains(viewer) ? [viewer] : []
        guard !others.isEmpty else { return visible }
        let standings = try await env.standings.of(others)
        let blocked = try await env.kernel.blocks.blocked(with: viewer, among: others)
        let candidates = others.filter { standings[$0]?.isActive == true && !blocked.contains($0) }
        let rows = try await PresenceStore.rows(candidates, on: env.database.sql)
        let settings = candidates.map { ($0, rows[$0].flatMap { PresenceVisibility(rawValue: $0.visibility) } ?? PresenceStore.defaultVisibility) }
        let askContacts = settings.filter { $0.1 == .contacts }.map(\.0)
        var contacts = try await env.contacts(viewer, among: askContacts)
        contacts.formUnion(try await ConversationStore.accepted(viewer, by: askContacts.filter { !contacts.contains($0) }, on: env.database.sql))
        for (owner, setting) in settings where setting == .everyone || (setting == .contacts && contacts.contains(owner)) {
            visible.insert(owner)
        }
        return visible
    }

    func settings(caller: Principal) async throws -> PresenceSettings {
        let row = try await PresenceStore.rows([caller.accountID], on: env.database.sql)[caller.accountID]
        return PresenceSettings(visibility: row.flatMap { PresenceVisibility(rawValue: $0.visibility) } ?? PresenceStore.defaultVisibility)
    }

    func update(_ settings: PresenceSettings, caller: Principal) async throws -> PresenceSettings {
        let account = caller.accountID
        try await env.database.transaction { db in try await PresenceStore.setVisibility(account, settings.visibility, on: db) }
        return settings
    }

    /// Records what the hub saw on this instance and tells the account's partners who may see it.
    func changed(_ account: AccountID, online: Bool) async throws {
        let now = env.now
        let instance = env.kernel.config.instanceNumber
        try await env.database.transaction { db in
            if online {
                try await PresenceStore.connected(account, instance: instance, now: now, on: db)
            } else {
                try await PresenceStore.disconnected(account, instance: instance, now: now, on: db)
            }
        }
        let db = env.database.sql
        // Another instance may still hold a socket: then the account has not gone away.
        let stillOnline = online ? true : !(try await PresenceStore.online([account], since: now - Self.freshnessMillis, on: db).isEmpty)
        if !online && stillOnline { return }
        let setting = try await PresenceStore.rows([account], on: db)[account].flatMap { PresenceVisibility(rawValue: $0.visibility) }
        guard setting ?? PresenceStore.defaultVisibility != .nobody else { return }
        // Partners have accepted each other's conversation, so "contacts" includes them all.
        let partners = try await ConversationStore.partners(of: account, limit: Self.maxPartners, on: db)
        guard !partners.isEmpty else { return }
        let blocked = try await env.kernel.blocks.blocked(with: account, among: partners)
        let event = PresenceChanged(accountId: account, online: online, lastSeenAt: online ? nil : Date(millisecondsSince1970: now))
        try await env.kernel.realtime.sendEphemeral(PresenceChanged.type, event, to: partners.filter { !blocked.contains($0) })
    }
}
