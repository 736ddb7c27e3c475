import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// What a domain built on posts learns about one being published, inside its transaction.
public struct PublishingPost: Sendable {
    public let id: PostID
    public let hashtags: [String]
    /// Milliseconds since 1970, by the server's clock.
    public let at: Int64
}

public typealias AlongsidePublishing = @Sendable (PublishingPost, any SQLDatabase) async throws -> Void

/// Writing posts: publish, edit (keeping the history), delete.
public struct Publishing: Sendable {
    let env: PostsEnvironment

    public init(env: PostsEnvironment) { self.env = env }

    static func mediaReference(_ id: PostID) -> String { "post:\(id)" }

    /// Publishes a post. A domain built on posts (Takes) names its own media field and does its
    /// part in `alongside`, inside the same transaction, after the post is written.
    public func create(
        _ form: CreatePostRequest, caller: Principal, mediaField: String = "media_ids", alongside: AlongsidePublishing? = nil
    ) async throws -> Post {
        let text = form.text ?? ""
        let mediaIDs = form.mediaIds ?? []
        let audience = form.audience ?? .public
        let policy = form.commentPolicy ?? .everyone
        var validator = Validator()
        validator.length(text, "text", max: env.maxText, allowingLineBreaks: true)
        validator.check(mediaIDs.count <= PostsEnvironment.maxMedia, "media_ids", "too_many", "may name at most \(PostsEnvironment.maxMedia) media")
        if env.platform == .vignette {
            validator.check(!mediaIDs.isEmpty, "media_ids", "required", "a Vignette post needs at least one photo or video")
        } else {
            validator.check(
                !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || !mediaIDs.isEmpty, "text", "required",
                "a post needs text or media")
        }
        env.checkAudience(audience, into: &validator)
        checkPolicy(policy, into: &validator)
        if let location = form.location { check(location, into: &validator) }
        try validator.validate()

        let scanned = PostText(scanning: text)
        let mentions = try await env.resolveMentions(scanned.mentions, author: caller)
        // Files of narrower posts need signatures; a private account's files are signed by media
        // itself for as long as the account stays private.
        let privateFiles = audience != .public
        let id = env.kernel.ids.next(PostID.self)
        let env = self.env
        try await env.database.transaction { db in
            try await env.attachments.attach(
                mediaIDs, owner: caller.accountID, to: Self.mediaReference(id), isPrivate: privateFiles, field: mediaField, on: db)
            try await PostStore.insert(
                .init(
                    id: id, author: caller.accountID, text: text, audience: audience, commentPolicy: policy, location: form.location,
                    sharedPostId: nil, hashtags: scanned.hashtags, mentions: mentions, mediaIds: mediaIDs, now: env.now), on: db)
            try await Self.announce(id, author: caller.accountID, audience: audience, hashtags: scanned.hashtags, shared: nil, on: db, env: env)
            try await Self.announce(mentions, in: id, comment: nil, author: caller.accountID, on: db, env: env)
            try await alongside?(PublishingPost(id: id, hashtags: scanned.hashtags, at: env.now), db)
        }
        return try await get(id, viewer: caller)
    }

    public func get(_ id: PostID, viewer: Principal?) async throws -> Post {
        let (row, context) = try await PostAccess(env: env).visible(id, viewer: viewer)
        return try await PostRenderer(env: env).render(row, context: context)
    }

    /// Edits text, audience or comment policy; the replaced version joins the history.
    public func update(_ id: PostID, form: UpdatePostRequest, caller: Principal) async throws -> Post {
        var validator = Validator()
        if let text = form.text { validator.length(text, "text", max: env.maxText, allowingLineBreaks: true) }
        if let audience = form.audience { env.checkAudience(audience, into: &validator) }
        if let policy = form.commentPolicy { checkPolicy(policy, into: &validator) }
        try validator.validate()
        let scanned = form.text.map { PostText(scanning: $0) }
        var mentions: [MentionedAccount]?
        if let scanned { mentions = try await env.resolveMentions(scanned.mentions, author: caller) }
        let env = self.env
        let resolved = mentions
        try await env.database.transaction { db in
            let row = try await Self.own(id, caller: caller, on: db, lock: env.database.forUpdate)
            let text = form.text ?? row.text
            let audience = form.audience ?? row.audience
            if env.platform == .entativa, row.sharedPostId == nil, try await PostStore.media(of: [id], on: db)[row.id.rawValue] == nil {
                guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                    throw AppError.invalid(field: "text", code: "required", message: "a post needs text or media")
                }
            }
            if let original = row.original, let source = try await PostStore.find(original, on: db), audience.breadth > source.audience.breadth {
                throw AppError.invalid(field: "audience", code: "wider_than_original", message: "a share cannot reach further than the post it shares")
            }
            let contentChanged = text != row.text || audience != row.audience
            if contentChanged {
                try await PostStore.addRevision(id: env.kernel.ids.next(), of: row, on: db)
            }
            let newMentions = resolved ?? row.mentionList
            try await PostStore.update(
                id, text: text, audience: audience, policy: form.commentPolicy ?? row.commentPolicy, hashtags: scanned?.hashtags ?? row.hashtagList,
                mentions: newMentions, editedAt: contentChanged ? env.now : row.editedAt, now: env.now, on: db)
            if scanned != nil { try await PostStore.index(id, hashtags: scanned?.hashtags ?? [], mentions: newMentions, on: db) }
            if audience != row.audience {
                try await env.attachments.setPrivacy(of: Self.mediaReference(id), isPrivate: audience != .public, on: db)
            }
            if contentChanged {
                try await env.kernel.events.publish(
                    PostEdited(postId: id, authorId: caller.accountID, audience: audience, hashtags: scanned?.hashtags ?? row.hashtagList, editedAt: env.now),
                    on: db)
            }
            let known = Set(row.mentionList.map(\.id))
            try await Self.announce(newMentions.filter { !known.contains($0.id) }, in: id, comment: nil, author: caller.accountID, on: db, env: env)
        }
        return try await get(id, viewer: caller)
    }

    /// Soft delete: the row stays for moderation, but every read treats the post as gone, and its
    /// media stop being served at their public URLs.
    public func delete(_ id: PostID, caller: Principal) async throws {
        let env = self.env
        try await env.database.transaction { db in
            let row = try await Self.own(id, caller: caller, on: db, lock: env.database.forUpdate)
            try await PostStore.markDeleted(id, author: row.author, now: env.now, on: db)
            try await env.attachments.setPrivacy(of: Self.mediaReference(id), isPrivate: true, on: db)
            if let original = row.original {
                try await ShareStore.remove(original: original, account: caller.accountID, on: db)
                try await PostStore.bump(.shares, of: original, by: -1, on: db)
            }
            try await env.kernel.events.publish(PostDeleted(postId: id, authorId: caller.accountID), on: db)
        }
    }

    /// The current version first, then each earlier one whose audience included the viewer, so
    /// widening a post never reveals what it said to a narrower audience.
    public func history(_ id: PostID, viewer: Principal?) async throws -> [PostRevision] {
        let (row, context) = try await PostAccess(env: env).visible(id, viewer: viewer)
        guard let author = context.author(of: row) else { throw AppError.notFound("post") }
        let current = PostRevision(text: row.text, audience: row.audience, createdAt: Date(millisecondsSince1970: row.editedAt ?? row.createdAt))
        let earlier = try await PostStore.revisions(of: id, on: env.database.sql).map {
            PostRevision(text: $0.text, audience: $0.audience, createdAt: Date(millisecondsSince1970: $0.createdAt))
        }
        return [current] + earlier.filter { context.reaches($0.audience, of: author) }
    }

    /// The caller's own live post; anyone else's is a 404 (or a 403 when they can see it).
    static func own(_ id: PostID, caller: Principal, on db: any SQLDatabase, lock: String) async throws -> PostRow {
        guard let row = try await PostStore.find(id, on: db, lock: lock), row.deletedAt == nil else { throw AppError.notFound("post") }
        guard row.author == caller.accountID else { throw AppError.notFound("post") }
        return row
    }

    func checkPolicy(_ policy: CommentPolicy, into validator: inout Validator) {
        validator.check(
            env.commentPolicies.contains(policy), "comment_policy", "unsupported",
            "must be one of \(env.commentPolicies.map(\.rawValue).joined(separator: ", ")) on \(env.platform.rawValue)")
    }

    func check(_ location: PostLocation, into validator: inout Validator) {
        validator.length(location.name, "location.name", max: PostsEnvironment.maxLocationName, min: 1)
        validator.check((-90...90).contains(location.latitude), "location.latitude", "out_of_range", "must be between -90 and 90")
        validator.check((-180...180).contains(location.longitude), "location.longitude", "out_of_range", "must be between -180 and 180")
    }

    static func announce(
        _ id: PostID, author: AccountID, audience: PostAudience, hashtags: [String], shared: PostID?, on db: any SQLDatabase, env: PostsEnvironment
    ) async throws {
        try await env.kernel.events.publish(
            PostPublished(postId: id, authorId: author, audience: audience, hashtags: hashtags, sharedPostId: shared), on: db)
    }

    static func announce(
        _ mentions: [MentionedAccount], in post: PostID, comment: CommentID?, author: AccountID, on db: any SQLDatabase, env: PostsEnvironment
    ) async throws {
        for mention in mentions {
            try await env.kernel.events.publish(AccountMentioned(postId: post, commentId: comment, authorId: author, mentionedId: mention.id), on: db)
        }
    }
}
