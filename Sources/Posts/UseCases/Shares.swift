import EntativaCore
import EntativaModels
import Foundation

/// Shares and quotes: a post that points at an original (always the first post of the chain).
public struct Shares: Sendable {
    let env: PostsEnvironment

    public init(env: PostsEnvironment) { self.env = env }

    public func share(_ id: PostID, form: SharePostRequest, caller: Principal) async throws -> Post {
        let access = PostAccess(env: env)
        let (seen, _) = try await access.visible(id, viewer: caller)
        let original = try await root(of: seen, viewer: caller)
        let text = form.text ?? ""
        let audience = form.audience ?? original.audience
        var validator = Validator()
        validator.length(text, "text", max: env.maxText, allowingLineBreaks: true)
        env.checkAudience(audience, into: &validator)
        validator.check(
            audience.breadth <= original.audience.breadth, "audience", "wider_than_original",
            "a share cannot reach further than the post it shares (\(original.audience))")
        try validator.validate()

        let scanned = PostText(scanning: text)
        let mentions = try await env.resolveMentions(scanned.mentions, author: caller)
        let shareID = env.kernel.ids.next(PostID.self)
        let env = self.env
        try await env.database.transaction { db in
            guard try await ShareStore.add(original: original.id, account: caller.accountID, share: shareID, on: db) else {
                throw AppError.conflict("You already shared this post.", code: "already-shared")
            }
            try await PostStore.insert(
                .init(
                    id: shareID, author: caller.accountID, text: text, audience: audience, commentPolicy: .everyone, location: nil,
                    sharedPostId: original.id, hashtags: scanned.hashtags, mentions: mentions, mediaIds: [], now: env.now), on: db)
            try await PostStore.bump(.shares, of: original.id, by: 1, on: db)
            try await Publishing.announce(
                shareID, author: caller.accountID, audience: audience, hashtags: scanned.hashtags, shared: original.id, on: db, env: env)
            try await env.kernel.events.publish(
                PostShared(
                    shareId: shareID, originalId: original.id, originalAuthorId: original.author, sharerId: caller.accountID,
                    isQuote: !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty), on: db)
            try await Publishing.announce(mentions, in: shareID, comment: nil, author: caller.accountID, on: db, env: env)
        }
        return try await Publishing(env: env).get(shareID, viewer: caller)
    }

    /// The first post of a share chain, which the caller must see too.
    private func root(of post: PostRow, viewer: Principal) async throws -> PostRow {
        guard let original = post.original else { return post }
        return try await PostAccess(env: env).visible(original, viewer: viewer).row
    }

    /// The shares of a post that the viewer may see, newest first.
    func list(_ id: PostID, viewer: Principal?, page: PageRequest) async throws -> Page<Post> {
        _ = try await PostAccess(env: env).visible(id, viewer: viewer)
        let (db, rows) = (env.database.sql, env.rows)
        let scan = try await PostAccess(env: env).scan(viewer: viewer, limit: page.limit) { after, count in
            try await rows.inOrder(try await PostStore.newestShares(of: id, before: after ?? page.before, limit: count, on: db))
                .map { (key: $0.id.rawValue, row: $0) }
        }
        let posts = try await PostRenderer(env: env).render(scan.rows, context: scan.context)
        return Page(items: posts, nextCursor: scan.next.map(String.init))
    }
}
