import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// Blocks, mutes and the close-friends list.
public struct Blocks: Sendable {
    let env: GraphEnvironment

    public init(env: GraphEnvironment) { self.env = env }

    /// Blocks `id`: every follow and request between the two goes, both ways, and each account
    /// disappears from the other's view.
    public func block(_ id: AccountID, caller: Principal) async throws -> Relationship {
        _ = try await env.target(id, caller: caller)
        let env = self.env
        let me = caller.accountID
        try await env.database.transaction { db in
            try await Edge.block.add(me, id, now: env.now, events: env.kernel.events, on: db)
            for edge in [Edge.follow, .followRequest, .closeFriend, .friendship] {
                try await edge.remove(me, id, events: env.kernel.events, on: db)
                try await edge.remove(id, me, events: env.kernel.events, on: db)
            }
            try await FriendRequestStore.deleteBetween(me, id, on: db)
        }
        return try await Relationships(env: env).one(id, caller: caller)
    }

    /// Unblocking needs no visibility: the blocked account is hidden from its blocker too.
    public func unblock(_ id: AccountID, caller: Principal) async throws -> Relationship {
        guard id != caller.accountID else { throw AppError.invalid(field: "id", code: "self", message: "cannot be your own account") }
        try await env.database.transaction { db in _ = try await Edge.block.remove(caller.accountID, id, events: env.kernel.events, on: db) }
        return try await Relationships(env: env).one(id, caller: caller)
    }

    public func mute(_ id: AccountID, caller: Principal, muted: Bool) async throws -> Relationship {
        try await set(.mute, to: id, caller: caller, present: muted)
    }

    public func closeFriend(_ id: AccountID, caller: Principal, included: Bool) async throws -> Relationship {
        try await set(.closeFriend, to: id, caller: caller, present: included)
    }

    /// Adds or removes one of the caller's own edges (mute, close friend) to a visible account.
    private func set(_ edge: Edge, to id: AccountID, caller: Principal, present: Bool) async throws -> Relationship {
        _ = try await env.target(id, caller: caller)
        let env = self.env
        try await env.database.transaction { db in
            if present {
                try await edge.add(caller.accountID, id, now: env.now, events: env.kernel.events, on: db)
            } else {
                try await edge.remove(caller.accountID, id, events: env.kernel.events, on: db)
            }
        }
        return try await Relationships(env: env).one(id, caller: caller)
    }

    /// The caller's own lists of blocked, muted or close-friend accounts.
    func list(_ edge: Edge, caller: Principal, page: EdgePageRequest) async throws -> Page<Account> {
        let edges = try await edge.list(caller.accountID, outgoing: true, after: page.cursor, limit: page.limit + 1, on: env.database.sql)
        return try await page.page(edges) { shown in
            try await env.profiles.accounts(
                shown.map { AccountID(rawValue: $0.account) }, viewer: caller, ignoringBlocks: edge.table == Edge.block.table)
        }
    }
}

/// The graph's answer to "do these two block each other?", used by every other domain.
struct GraphBlockList: BlockList {
    let caches: GraphCaches

    func eitherBlocks(_ first: AccountID, _ second: AccountID) async throws -> Bool {
        try await !blocked(with: first, among: [second]).isEmpty
    }

    func blocked(with account: AccountID, among others: [AccountID]) async throws -> Set<AccountID> {
        Set(try await caches.edges(of: account, with: others).filter { !$0.value.isDisjoint(with: [.blocking, .blockedBy]) }.keys)
    }
}
