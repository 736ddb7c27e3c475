import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// One reaction per account on a post or a comment: set, change, remove, and who reacted.
public struct Reactions: Sendable {
    let env: PostsEnvironment

    public init(env: PostsEnvironment) { self.env = env }

    /// The target after checking the viewer may see it: a visible post, or a live comment by a
    /// visible author under one.
    func target(_ target: ReactionStore.Target, _ id: Int64, viewer: Principal?) async throws -> (owner: AccountID, post: PostID) {
        switch target {
        case .post:
            let (row, _) = try await PostAccess(env: env).visible(PostID(rawValue: id), viewer: viewer)
            return (row.authorId, row.id)
        case .comment:
            let comment = try await Comments(env: env).visibleComment(CommentID(rawValue: id), viewer: viewer)
            return (comment.authorId, comment.postId)
        }
    }

    func react(_ target: ReactionStore.Target, _ id: Int64, kind: ReactionKind, caller: Principal) async throws -> ReactionSummary {
        guard env.reactionKinds.contains(kind) else {
            throw AppError.invalid(
                field: "kind", code: "unsupported", message: "must be one of \(env.reactionKinds.map(\.rawValue).joined(separator: ", ")) on \(env.platform.rawValue)")
        }
        let (owner, post) = try await self.target(target, id, viewer: caller)
        let env = self.env
        try await env.database.transaction { db in
            let outcome = try await ReactionStore.set(
                on: target, id, by: caller.accountID, kind: kind, now: env.now, forUpdate: env.database.forUpdate, on: db)
            guard outcome != .unchanged else { return }
            try await env.kernel.events.publish(
                PostReacted(
                    postId: post, commentId: target == .comment ? CommentID(rawValue: id) : nil, ownerId: owner, reactorId: caller.accountID,
                    kind: kind), on: db)
            if case .changed(let old) = outcome {
                try await ReactionStore.count(on: target, id, deltas: [old: -1, kind: 1], on: db)
            } else {
                try await ReactionStore.count(on: target, id, deltas: [kind: 1], on: db)
                try await Self.bump(target, id, by: 1, on: db)
            }
        }
        return try await summary(target, id, viewer: caller)
    }

    func unreact(_ target: ReactionStore.Target, _ id: Int64, caller: Principal) async throws -> ReactionSummary {
        _ = try await self.target(target, id, viewer: caller)
        let env = self.env
        try await env.database.transaction { db in
            guard let removed = try await ReactionStore.remove(on: target, id, by: caller.accountID, forUpdate: env.database.forUpdate, on: db)
            else { return }
            try await ReactionStore.count(on: target, id, deltas: [removed: -1], on: db)
            try await Self.bump(target, id, by: -1, on: db)
        }
        return try await summary(target, id, viewer: caller)
    }

    /// Who reacted (optionally with one kind), newest first; accounts hidden from the viewer are left out.
    func reactors(_ target: ReactionStore.Target, _ id: Int64, kind: ReactionKind?, viewer: Principal?, cursor: String?, limit: Int) async throws -> Page<Reaction> {
        _ = try await self.target(target, id, viewer: viewer)
        var position: (Int64, Int64)?
        if let cursor, !cursor.isEmpty {
            guard let parsed = KeysetCursor(cursor) else {
                throw AppError.invalid(field: "cursor", code: "invalid", message: "is not a cursor this server gave out")
            }
            position = (parsed.first, parsed.second)
        }
        let rows = try await ReactionStore.reactors(on: target, id, kind: kind, after: position, limit: limit + 1, on: env.database.sql)
        let (shown, next) = PageRequest.split(rows, limit: limit) { KeysetCursor($0.createdAt, $0.accountId).text }
        let accounts = try await env.profiles.accounts(shown.map { AccountID(rawValue: $0.accountId) }, viewer: viewer)
        let byID = Dictionary(uniqueKeysWithValues: accounts.map { ($0.id.rawValue, $0) })
        let items = shown.compactMap { row -> Reaction? in
            guard let account = byID[row.accountId], let kind = ReactionKind(rawValue: row.kind) else { return nil }
            return Reaction(account: account, kind: kind, createdAt: Date(millisecondsSince1970: row.createdAt))
        }
        return Page(items: items, nextCursor: next)
    }

    func summary(_ target: ReactionStore.Target, _ id: Int64, viewer: Principal) async throws -> ReactionSummary {
        try await env.engagement.view(on: target, [id], viewer: viewer.accountID)[id]?.summary
            ?? ReactionSummary(total: 0, counts: [:], mine: nil)
    }

    /// The counters are the hot rows of a popular post, so they change last: each stays locked
    /// from its update to the commit, not for the whole transaction.
    static func bump(_ target: ReactionStore.Target, _ id: Int64, by delta: Int, on db: any SQLDatabase) async throws {
        switch target {
        case .post: try await PostStore.bump(.reactions, of: PostID(rawValue: id), by: delta, on: db)
        case .comment: try await CommentStore.bump("reaction_count", of: CommentID(rawValue: id), by: delta, on: db)
        }
    }
}
