import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// Comment threads: replies nest to depth 5 (deeper answers hang at the fifth level), a deleted
/// comment stays as a placeholder while it has replies, and each post says who may comment.
public struct Comments: Sendable {
    let env: PostsEnvironment
    /// Replies loaded with one page of top-level comments.
    static let repliesPerPage = 1_000

    public init(env: PostsEnvironment) { self.env = env }

    public func create(on postID: PostID, form: CreateCommentRequest, caller: Principal) async throws -> Comment {
        let (post, context) = try await PostAccess(env: env).visible(postID, viewer: caller)
        guard context.canComment(on: post) else {
            throw AppError.forbidden(post.commentPolicy == .nobody ? "Comments are turned off for this post." : "The author limits who may comment on this post.")
        }
        let text = try validText(form.text)
        var parent: CommentRow?
        if let answered = form.inReplyToId {
            let row = try await visibleComment(answered, viewer: caller)
            guard row.postId == postID else {
                throw AppError.invalid(field: "in_reply_to_id", code: "other_post", message: "answers a comment under another post")
            }
            // Below the fifth level an answer hangs beside the comment it answers.
            if row.depth >= CommentStore.maxDepth, let up = row.parentId {
                parent = try await CommentStore.find(up, on: env.database.sql)
            } else {
                parent = row
            }
        }
        let answered = form.inReplyToId
        let scanned = PostText(scanning: text)
        let mentions = try await env.resolveMentions(scanned.mentions, author: caller)
        let id = env.kernel.ids.next(CommentID.self)
        let env = self.env
        let row = CommentRow(
            id: id, postId: postID, threadId: parent?.threadId ?? id, parentId: parent?.id,
            inReplyToId: answered, depth: (parent?.depth ?? 0) + 1, authorId: caller.accountID, text: text,
            mentions: JSONList.encode(mentions), reactionCount: 0, replyCount: 0, createdAt: env.now)
        var answeredAuthor: AccountID?
        if let answered { answeredAuthor = try await CommentStore.find(answered, on: env.database.sql)?.authorId }
        let parentRow = parent
        let answeredBy = answeredAuthor
        try await env.database.transaction { db in
            try await CommentStore.insert(row, on: db)
            try await env.kernel.events.publish(
                PostCommented(
                    postId: postID, commentId: id, postAuthorId: post.author, authorId: caller.accountID, inReplyToAuthorId: answeredBy,
                    inReplyToId: answered),
                on: db)
            try await Publishing.announce(mentions, in: postID, comment: id, author: caller.accountID, on: db, env: env)
            // The counters of a busy thread are its hot rows: changed last, they stay locked only
            // until the commit. The post before the comment, as deleting one does.
            try await PostStore.bump(.comments, of: postID, by: 1, on: db)
            if let parentRow { try await CommentStore.bump("reply_count", of: parentRow.id, by: 1, on: db) }
        }
        return try await get(id, viewer: caller)
    }

    /// One comment with its replies.
    public func get(_ id: CommentID, viewer: Principal?) async throws -> Comment {
        let row = try await visibleComment(id, viewer: viewer)
        let thread = try await CommentStore.replies(inThreads: [row.threadId], limit: Self.repliesPerPage, on: env.database.sql)
        let root = row.depth == 1 ? [row] : [try await CommentStore.find(row.threadId, on: env.database.sql)].compactMap { $0 }
        let trees = try await build(root, replies: thread, viewer: viewer)
        guard let found = Self.find(id, in: trees) else { throw AppError.notFound("comment") }
        return found
    }

    public func list(on postID: PostID, order: CommentOrder, cursor: String?, limit: Int, viewer: Principal?) async throws -> Page<Comment> {
        _ = try await PostAccess(env: env).visible(postID, viewer: viewer)
        var position: CommentCursor?
        if let cursor, !cursor.isEmpty {
            position = CommentCursor(cursor, order: order)
            guard position != nil else { throw AppError.invalid(field: "cursor", code: "invalid", message: "is not a cursor this server gave out") }
        }
        let db = env.database.sql
        let fetched = try await CommentStore.topLevel(of: postID, order: order, after: position, limit: limit + 1, on: db)
        let (shown, next) = PageRequest.split(fetched, limit: limit) { CommentCursor.text(for: $0, order: order) }
        let replies = try await CommentStore.replies(inThreads: shown.map(\.id), limit: Self.repliesPerPage, on: db)
        let trees = try await build(shown, replies: replies, viewer: viewer)
        return Page(items: trees, nextCursor: next)
    }

    public func edit(_ id: CommentID, form: UpdateCommentRequest, caller: Principal) async throws -> Comment {
        let row = try await visibleComment(id, viewer: caller)
        guard row.authorId == caller.accountID else { throw AppError.forbidden("Only its author may edit a comment.") }
        let text = try validText(form.text)
        let scanned = PostText(scanning: text)
        let mentions = try await env.resolveMentions(scanned.mentions, author: caller)
        let known = Set(row.mentionList.map(\.id))
        let env = self.env
        try await env.database.transaction { db in
            try await CommentStore.updateText(id, text: text, mentions: mentions, now: env.now, on: db)
            try await Publishing.announce(mentions.filter { !known.contains($0.id) }, in: row.postId, comment: id, author: caller.accountID, on: db, env: env)
        }
        return try await get(id, viewer: caller)
    }

    /// The comment's author or the post's author may delete it, even when one blocked the other
    /// or the commenter left the post's audience: that is when deleting matters most.
    public func delete(_ id: CommentID, caller: Principal) async throws {
        let db = env.database.sql
        guard let row = try await CommentStore.find(id, on: db), row.deletedAt == nil,
            let post = try await PostStore.find(row.postId, on: db), post.deletedAt == nil,
            row.authorId == caller.accountID || post.author == caller.accountID
        else {
            // Others learn nothing, not even that the comment exists.
            _ = try await visibleComment(id, viewer: caller)
            throw AppError.forbidden("Only the comment's author or the post's author may delete it.")
        }
        let env = self.env
        try await env.database.transaction { db in
            _ = try await PostStore.find(row.postId, on: db, lock: env.database.forUpdate)
            guard let current = try await CommentStore.find(id, on: db), current.deletedAt == nil else { return }
            try await CommentStore.markDeleted(id, now: env.now, on: db)
            try await PostStore.bump(.comments, of: row.postId, by: -1, on: db)
            if let parent = row.parentId { try await CommentStore.bump("reply_count", of: parent, by: -1, on: db) }
        }
    }

    /// A live comment under a post the viewer sees, by an author the viewer sees; else 404.
    func visibleComment(_ id: CommentID, viewer: Principal?) async throws -> CommentRow {
        guard let row = try await CommentStore.find(id, on: env.database.sql), row.deletedAt == nil else { throw AppError.notFound("comment") }
        _ = try await PostAccess(env: env).visible(row.postId, viewer: viewer)
        guard try await !env.profiles.accounts([row.authorId], viewer: viewer, counts: false).isEmpty else { throw AppError.notFound("comment") }
        return row
    }

    private func validText(_ raw: String) throws -> String {
        var validator = Validator()
        validator.check(!raw.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "text", "required", "is required")
        validator.length(raw, "text", max: PostsEnvironment.maxComment, allowingLineBreaks: true)
        try validator.validate()
        return raw
    }

    /// Builds the trees under `roots`. Deleted comments and those by hidden authors become
    /// placeholders, and disappear when nothing visible hangs under them.
    private func build(_ roots: [CommentRow], replies: [CommentRow], viewer: Principal?) async throws -> [Comment] {
        let all = roots + replies
        let authors = try await env.profiles.accounts(Array(Set(all.map(\.authorId))), viewer: viewer)
        let byAuthor = Dictionary(uniqueKeysWithValues: authors.map { ($0.id, $0) })
        let reactions = try await env.engagement.view(on: .comment, all.map(\.id.rawValue), viewer: viewer?.accountID).mapValues(\.summary)
        let children = Dictionary(grouping: replies, by: \.parentId)

        func node(_ row: CommentRow) -> Comment? {
            let replies = (children[row.id] ?? []).compactMap(node)
            let author = row.deletedAt == nil ? byAuthor[row.authorId] : nil
            if author == nil && replies.isEmpty { return nil }
            return Comment(
                id: row.id, postId: row.postId, parentId: row.parentId,
                inReplyToId: row.inReplyToId, depth: row.depth, author: author,
                text: author == nil ? "" : row.text, mentions: author == nil ? [] : row.mentionList,
                reactions: author == nil ? ReactionSummary(total: 0, counts: [:], mine: nil) : reactions[row.id.rawValue] ?? ReactionSummary(total: 0, counts: [:], mine: nil),
                replyCount: Int(row.replyCount), isDeleted: author == nil, editedAt: author == nil ? nil : row.editedAt.map(Date.init(millisecondsSince1970:)),
                createdAt: Date(millisecondsSince1970: row.createdAt), replies: replies)
        }
        return roots.compactMap(node)
    }

    private static func find(_ id: CommentID, in trees: [Comment]) -> Comment? {
        for tree in trees {
            if tree.id == id { return tree }
            if let found = find(id, in: tree.replies) { return found }
        }
        return nil
    }
}
