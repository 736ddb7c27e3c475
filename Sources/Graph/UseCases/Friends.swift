import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// A friend request was sent; it is addressed by its two accounts, never by an ID of its own.
public struct FriendRequested: DomainEvent {
    public static let topic = "graph.friend_requested"
    public var fromId: AccountID
    public var toId: AccountID
}

public struct FriendshipStarted: DomainEvent {
    public static let topic = "graph.friend_accepted"
    public var accountId: AccountID
    public var friendId: AccountID
}

/// Entativa's two-sided friendships. Every change first takes both accounts' friendship locks
/// (advisory locks on PostgreSQL; SQLite has one writer), so the caps hold however many requests
/// race, and identity's `accounts` rows are never locked from here.
public struct Friends: Sendable {
    let env: GraphEnvironment

    public init(env: GraphEnvironment) { self.env = env }

    func requireEntativa() throws {
        guard env.kernel.config.platform == .entativa else { throw AppError.notFound("route") }
    }

    /// Sends a request, or, when the other side already asked, makes both friends at once.
    public func send(to id: AccountID, caller: Principal) async throws -> Relationship {
        try requireEntativa()
        _ = try await env.target(id, caller: caller)
        let env = self.env
        let settings = env.settings
        let me = caller.accountID
        try await env.database.transaction { db in
            try await Self.lock([me, id], env: env, on: db)
            if try await Edge.friendship.exists(me, id, on: db) { return }
            if try await FriendRequestStore.pending(from: me, to: id, on: db) != nil { return }
            if let theirs = try await FriendRequestStore.pending(from: id, to: me, on: db) {
                try await Self.befriend(me, id, removing: theirs, env: env, on: db)
                return
            }
            let since = env.now - 24 * 3_600_000
            let sent = try await FriendRequestStore.sendTimes(of: me, since: since, on: db)
            if sent.count >= settings.friendRequestsPerDay {
                throw AppError.rateLimited(retryAfter: Int((sent[0] + 24 * 3_600_000 - env.now) / 1000) + 1)
            }
            let pending = try await FriendRequestStore.waitingCount(from: me, on: db)
            guard pending < settings.maxPendingFriendRequests else {
                throw AppError.conflict("You have \(settings.maxPendingFriendRequests) requests waiting for an answer.", code: "too-many-pending")
            }
            try await Self.checkCaps(me, id, settings: settings, on: db)
            try await FriendRequestStore.add(id: env.kernel.ids.next(), from: me, to: id, now: env.now, on: db)
            try await env.kernel.events.publish(
                FriendRequested(fromId: me, toId: id), on: db)
        }
        return try await Relationships(env: env).one(id, caller: caller)
    }

    /// Accepts the request `sender` sent the caller.
    public func accept(from sender: AccountID, caller: Principal) async throws -> Relationship {
        try requireEntativa()
        let env = self.env
        let settings = env.settings
        try await env.database.transaction { db in
            guard let request = try await FriendRequestStore.pending(from: sender, to: caller.accountID, on: db) else {
                throw AppError.notFound("friend request")
            }
            try await Self.lock([caller.accountID, sender], env: env, on: db)
            try await Self.checkCaps(caller.accountID, sender, settings: settings, on: db)
            try await Self.befriend(caller.accountID, sender, removing: request, env: env, on: db)
        }
        return try await Relationships(env: env).one(sender, caller: caller)
    }

    /// Declines the request `sender` sent the caller.
    public func decline(from sender: AccountID, caller: Principal) async throws -> Relationship {
        try await remove(from: sender, to: caller.accountID, caller: caller, other: sender)
    }

    /// Cancels the request the caller sent `recipient`.
    public func cancel(to recipient: AccountID, caller: Principal) async throws -> Relationship {
        try await remove(from: caller.accountID, to: recipient, caller: caller, other: recipient)
    }

    private func remove(from sender: AccountID, to recipient: AccountID, caller: Principal, other: AccountID) async throws -> Relationship {
        try requireEntativa()
        guard try await FriendRequestStore.delete(from: sender, to: recipient, on: env.database.sql) else {
            throw AppError.notFound("friend request")
        }
        return try await Relationships(env: env).one(other, caller: caller)
    }

    public func unfriend(_ id: AccountID, caller: Principal) async throws -> Relationship {
        try requireEntativa()
        let removed = try await env.database.transaction { db in
            let one = try await Edge.friendship.remove(caller.accountID, id, events: env.kernel.events, on: db)
            let other = try await Edge.friendship.remove(id, caller.accountID, events: env.kernel.events, on: db)
            return one || other
        }
        guard removed else { throw AppError.notFound("friendship") }
        return try await Relationships(env: env).one(id, caller: caller)
    }

    /// Requests waiting, newest first. The cursor is the position of the last one shown; the
    /// items carry no ID, since a request is addressed by its other account.
    func requests(caller: Principal, incoming: Bool, page: PageRequest) async throws -> Page<FriendRequest> {
        try requireEntativa()
        let rows = try await FriendRequestStore.page(
            of: caller.accountID, incoming: incoming, before: page.before, limit: page.limit + 1, on: env.database.sql)
        let (shown, next) = PageRequest.split(rows, limit: page.limit) { String($0.id) }
        let accounts = try await env.profiles.accounts(shown.map(\.other), viewer: caller)
        let byID = Dictionary(accounts.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let items = shown.compactMap { row in
            byID[row.other].map { FriendRequest(account: $0, createdAt: Date(millisecondsSince1970: row.createdAt)) }
        }
        return Page(items: items, nextCursor: next)
    }

    /// A profile's friends; a private account's list is for itself and its friends.
    func list(_ id: AccountID, viewer: Principal?, page: EdgePageRequest) async throws -> Page<Account> {
        try requireEntativa()
        let account = try await env.profiles.account(id, viewer: viewer, counts: false)
        if account.isPrivate, viewer?.accountID != id {
            var friends = false
            if let viewer { friends = try await Edge.friendship.exists(viewer.accountID, id, on: env.database.sql) }
            guard friends else { throw AppError.forbidden("This account is private; only its friends see its friends.") }
        }
        let edges = try await Edge.friendship.list(id, outgoing: true, after: page.cursor, limit: page.limit + 1, on: env.database.sql)
        return try await page.page(edges) { shown in
            try await env.profiles.accounts(shown.map { AccountID(rawValue: $0.account) }, viewer: viewer)
        }
    }

    /// Both accounts' friendship locks, so caps are checked and friendships written by one
    /// transaction at a time per account.
    static func lock(_ accounts: [AccountID], env: GraphEnvironment, on db: any SQLDatabase) async throws {
        try await env.database.lock("graph.friends", accounts.map(\.rawValue), on: db)
    }

    static func checkCaps(_ first: AccountID, _ second: AccountID, settings: GraphSettings, on db: any SQLDatabase) async throws {
        for (account, who) in [(first, "You have"), (second, "They have")] {
            let friends = try await Edge.friendship.count(from: account, on: db)
            guard friends < settings.maxFriends else {
                throw AppError.conflict("\(who) \(settings.maxFriends) friends, the most an account may have.", code: "friend-limit")
            }
        }
    }

    static func befriend(_ first: AccountID, _ second: AccountID, removing request: Int64, env: GraphEnvironment, on db: any SQLDatabase) async throws {
        try await FriendRequestStore.delete(request, on: db)
        try await Edge.friendship.add(first, second, now: env.now, events: env.kernel.events, on: db)
        try await Edge.friendship.add(second, first, now: env.now, events: env.kernel.events, on: db)
        try await env.kernel.events.publish(FriendshipStarted(accountId: first, friendId: second), on: db)
    }
}
