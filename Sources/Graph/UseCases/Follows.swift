import EntativaCore
import EntativaModels
import Foundation
import SQLKit

public struct AccountFollowed: DomainEvent {
    public static let topic = "graph.followed"
    public var followerId: AccountID
    public var followeeId: AccountID
}

public struct FollowRequested: DomainEvent {
    public static let topic = "graph.follow_requested"
    public var requesterId: AccountID
    public var targetId: AccountID
}

public struct FollowRequestApproved: DomainEvent {
    public static let topic = "graph.follow_approved"
    public var requesterId: AccountID
    public var approverId: AccountID
}

/// Following (instant for public accounts, by request for private ones) and its lists.
public struct Follows: Sendable {
    let env: GraphEnvironment

    public init(env: GraphEnvironment) { self.env = env }

    public func follow(_ id: AccountID, caller: Principal) async throws -> Relationship {
        let target = try await env.target(id, caller: caller)
        let env = self.env
        try await env.database.transaction { db in
            guard try await !Edge.follow.exists(caller.accountID, id, on: db) else { return }
            // Serialised per follower, so concurrent follows cannot pass the cap together.
            try await env.database.lock("graph.following", [caller.accountID.rawValue], on: db)
            let following = try await Edge.follow.count(from: caller.accountID, on: db)
            let asked = try await Edge.followRequest.count(from: caller.accountID, on: db)
            guard following + asked < env.settings.maxFollowing else {
                throw AppError.conflict(
                    "You follow or asked to follow \(env.settings.maxFollowing) accounts, the most an account may.", code: "following-limit")
            }
            if target.isPrivate {
                if try await Edge.followRequest.add(caller.accountID, id, now: env.now, events: env.kernel.events, on: db) {
                    try await env.kernel.events.publish(FollowRequested(requesterId: caller.accountID, targetId: id), on: db)
                }
            } else if try await Edge.follow.add(caller.accountID, id, now: env.now, events: env.kernel.events, on: db) {
                try await env.kernel.events.publish(AccountFollowed(followerId: caller.accountID, followeeId: id), on: db)
            }
        }
        return try await Relationships(env: env).one(id, caller: caller)
    }

    /// Stops following, or withdraws a pending request.
    public func unfollow(_ id: AccountID, caller: Principal) async throws -> Relationship {
        _ = try await env.target(id, caller: caller)
        let env = self.env
        try await env.database.transaction { db in
            try await Edge.follow.remove(caller.accountID, id, events: env.kernel.events, on: db)
            try await Edge.followRequest.remove(caller.accountID, id, events: env.kernel.events, on: db)
        }
        return try await Relationships(env: env).one(id, caller: caller)
    }

    /// Also removes a follower without blocking them.
    public func removeFollower(_ id: AccountID, caller: Principal) async throws -> Relationship {
        try await env.database.transaction { db in _ = try await Edge.follow.remove(id, caller.accountID, events: env.kernel.events, on: db) }
        return try await Relationships(env: env).one(id, caller: caller)
    }

    public func approve(_ requester: AccountID, caller: Principal) async throws -> Relationship {
        let env = self.env
        try await env.database.transaction { db in
            guard try await Edge.followRequest.remove(requester, caller.accountID, events: env.kernel.events, on: db) else { throw AppError.notFound("follow request") }
            if try await Edge.follow.add(requester, caller.accountID, now: env.now, events: env.kernel.events, on: db) {
                try await env.kernel.events.publish(AccountFollowed(followerId: requester, followeeId: caller.accountID), on: db)
                try await env.kernel.events.publish(FollowRequestApproved(requesterId: requester, approverId: caller.accountID), on: db)
            }
        }
        return try await Relationships(env: env).one(requester, caller: caller)
    }

    public func reject(_ requester: AccountID, caller: Principal) async throws -> Relationship {
        try await env.database.transaction { db in
            guard try await Edge.followRequest.remove(requester, caller.accountID, events: env.kernel.events, on: db) else { throw AppError.notFound("follow request") }
        }
        return try await Relationships(env: env).one(requester, caller: caller)
    }

    func requests(caller: Principal, page: EdgePageRequest) async throws -> Page<FollowRequest> {
        let edges = try await Edge.followRequest.list(caller.accountID, outgoing: false, after: page.cursor, limit: page.limit + 1, on: env.database.sql)
        return try await page.page(edges) { shown in
            let accounts = try await env.profiles.accounts(shown.map { AccountID(rawValue: $0.account) }, viewer: caller)
            let times = Dictionary(uniqueKeysWithValues: shown.map { ($0.account, $0.createdAt) })
            return accounts.map { FollowRequest(account: $0, createdAt: Date(millisecondsSince1970: times[$0.id.rawValue] ?? 0)) }
        }
    }

    /// Who follows `id` (or whom it follows). A private account's lists are for itself and its followers.
    func list(_ id: AccountID, followers: Bool, viewer: Principal?, page: EdgePageRequest) async throws -> Page<Account> {
        let account = try await env.profiles.account(id, viewer: viewer, counts: false)
        if account.isPrivate, viewer?.accountID != id {
            var follows = false
            if let viewer { follows = try await Edge.follow.exists(viewer.accountID, id, on: env.database.sql) }
            guard follows else { throw AppError.forbidden("This account is private; only its followers see its lists.") }
        }
        let edges = try await Edge.follow.list(id, outgoing: !followers, after: page.cursor, limit: page.limit + 1, on: env.database.sql)
        return try await page.page(edges) { shown in
            try await env.profiles.accounts(shown.map { AccountID(rawValue: $0.account) }, viewer: viewer)
        }
    }
}
