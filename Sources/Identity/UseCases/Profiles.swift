import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// Reading and editing account profiles.
public struct Profiles: Sendable {
    let env: IdentityEnvironment
    static let maxDisplayName = 64
    static let maxBio = 500
    static let maxLinks = 4
    static let maxLinkLength = 200

    public init(env: IdentityEnvironment) { self.env = env }

    // Every method answers accounts as clients see them, with their counts, fetched once per call
    // whatever the number of accounts. `counts: false` is for checks whose accounts never reach
    // a client (visibility, privacy, names, addresses): it saves the count queries and leaves
    // every count at zero.

    public func me(_ caller: Principal, counts: Bool = true) async throws -> Account {
        let account = try await env.activeAccount(caller.accountID, on: env.database.sql).dto(includePrivate: true)
        return counts ? try await env.counted(account) : account
    }

    /// An account as `viewer` may see it. Suspended and deleted accounts are gone for everyone
    /// but moderators and administrators.
    public func account(_ id: AccountID, viewer: Principal?, counts: Bool = true) async throws -> Account {
        try await visible(try await env.accountRows.find(id), viewer: viewer, counts: counts)
    }

    /// The accounts of `ids` that `viewer` may see, in the order given; the others are left out.
    /// `ignoringBlocks` is for the viewer's own block list, which must show whom they blocked.
    public func accounts(_ ids: [AccountID], viewer: Principal?, ignoringBlocks: Bool = false, counts: Bool = true) async throws -> [Account] {
        guard !ids.isEmpty else { return [] }
        let rows = try await env.accountRows.find(ids)
        return try await visible(rows, viewer: viewer, ignoringBlocks: ignoringBlocks, order: ids, counts: counts)
    }

    /// The accounts with these usernames (any case) that `viewer` may see; unknown names are left out.
    public func accounts(usernames: [String], viewer: Principal?, counts: Bool = true) async throws -> [Account] {
        let keys = Array(Set(usernames.map { $0.lowercased() }))
        guard !keys.isEmpty else { return [] }
        let rows = try await AccountStore.find(usernameKeys: keys, on: env.database.sql).map(\.profile)
        return try await visible(rows, viewer: viewer, ignoringBlocks: false, order: rows.map(\.id), counts: counts)
    }

    /// The visible ones of `rows`, in `order`, with the blocks checked in one look-up: suspended,
    /// deleted and blocking (either way) accounts are left out, except for staff.
    private func visible(
        _ rows: [ProfileRow], viewer: Principal?, ignoringBlocks: Bool, order: [AccountID], counts: Bool
    ) async throws -> [Account] {
        let isStaff = (viewer?.role ?? .user) >= .moderator
        var hidden: Set<AccountID> = []
        if let viewer, !isStaff, !ignoringBlocks {
            hidden = try await env.kernel.blocks.blocked(with: viewer.accountID, among: rows.map(\.id))
        }
        var byID: [AccountID: Account] = [:]
        for row in rows where !hidden.contains(row.id) && (row.state == .active || isStaff) {
            byID[row.id] = row.dto(includePrivate: viewer?.accountID == row.id || viewer?.role == .admin)
        }
        let shown = order.compactMap { byID[$0] }
        return counts ? try await env.counted(shown) : shown
    }

    public func lookup(username: String, viewer: Principal?) async throws -> Account {
        var validator = Validator()
        validator.check(!username.isEmpty, "username", "required", "is required")
        validator.length(username, "username", max: 30)
        try validator.validate()
        return try await visible(try await AccountStore.find(username: username, on: env.database.sql)?.profile, viewer: viewer, counts: true)
    }

    /// Suspended, deleted and blocking (either way) accounts are 404, except to staff.
    private func visible(_ row: ProfileRow?, viewer: Principal?, counts: Bool) async throws -> Account {
        guard let row,
            let account = try await visible([row], viewer: viewer, ignoringBlocks: false, order: [row.id], counts: counts).first
        else {
            throw AppError.notFound("account")
        }
        return account
    }


    public func update(_ caller: Principal, form: UpdateAccountRequest) async throws -> Account {
        var validator = Validator()
        validator.length(form.displayName, "display_name", max: Self.maxDisplayName)
        validator.length(form.bio, "bio", max: Self.maxBio, allowingLineBreaks: true)
        if let links = form.links {
            validator.check(links.count <= Self.maxLinks, "links", "too_many", "may hold at most \(Self.maxLinks) links")
            for (index, link) in links.enumerated() {
                let url = URL(string: link)
                let valid = link.unicodeScalars.count <= Self.maxLinkLength && ["http", "https"].contains(url?.scheme?.lowercased() ?? "")
                    && !(url?.host ?? "").isEmpty
                validator.check(valid, "links.\(index)", "invalid", "must be an http(s) URL of at most \(Self.maxLinkLength) characters")
            }
        }
        try validator.validate()
        let env = self.env
        let updated = try await env.database.transaction { db in
            let account = try await env.activeAccount(caller.accountID, on: db)
            try await AccountStore.updateProfile(
                caller.accountID,
                displayName: form.displayName?.trimmingCharacters(in: .whitespacesAndNewlines) ?? account.displayName,
                bio: form.bio ?? account.bio, links: form.links ?? account.linkList,
                isPrivate: form.isPrivate ?? account.isPrivate, now: env.now, on: db)
            let standingChanged = form.isPrivate.map { $0 != account.isPrivate } ?? false
            try await env.kernel.events.publish(AccountProfileChanged(accountId: caller.accountID, standingChanged: standingChanged), on: db)
            return try await env.activeAccount(caller.accountID, on: db).dto(includePrivate: true)
        }
        return try await env.counted(updated)
    }

    public func securityEvents(_ caller: Principal, page: PageRequest) async throws -> Page<SecurityEvent> {
        try await env.log.list(account: caller.accountID, page: page, on: env.database.sql)
    }
}
