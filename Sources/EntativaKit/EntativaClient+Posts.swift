import EntativaModels
import Foundation

extension EntativaClient {
    /// Publishes a post. Pass an idempotency key when retrying after a lost answer.
    public func publish(_ form: CreatePostRequest, idempotencyKey: String? = nil) async throws -> Post {
        try await send("POST", "/api/v1/posts", body: form, idempotencyKey: idempotencyKey)
    }

    public func post(_ id: PostID) async throws -> Post {
        try await send("GET", "/api/v1/posts/\(id)", auth: .optional)
    }

    public func updatePost(_ id: PostID, _ changes: UpdatePostRequest) async throws -> Post {
        try await send("PATCH", "/api/v1/posts/\(id)", body: changes)
    }

    public func deletePost(_ id: PostID) async throws {
        _ = try await send("DELETE", "/api/v1/posts/\(id)", as: Empty.self)
    }

    /// The post's versions, newest first; one complete page.
    public func postHistory(_ id: PostID) async throws -> Page<PostRevision> {
        try await send("GET", "/api/v1/posts/\(id)/history", auth: .optional)
    }

    public func share(_ id: PostID, _ form: SharePostRequest = SharePostRequest()) async throws -> Post {
        try await send("POST", "/api/v1/posts/\(id)/share", body: form)
    }

    public func posts(of account: AccountID, cursor: String? = nil, limit: Int? = nil) async throws -> Page<Post> {
        try await send("GET", "/api/v1/accounts/\(account)/posts", query: Self.pageQuery(cursor: cursor, limit: limit), auth: .optional)
    }

    public func posts(hashtag: String, cursor: String? = nil, limit: Int? = nil) async throws -> Page<Post> {
        // The URL builder percent-encodes the path, so the name goes in as written.
        try await send("GET", "/api/v1/hashtags/\(hashtag)/posts", query: Self.pageQuery(cursor: cursor, limit: limit), auth: .optional)
    }

    public func mentions(cursor: String? = nil, limit: Int? = nil) async throws -> Page<Post> {
        try await send("GET", "/api/v1/mentions", query: Self.pageQuery(cursor: cursor, limit: limit))
    }

    public func react(to post: PostID, with kind: ReactionKind) async throws -> ReactionSummary {
        try await send("PUT", "/api/v1/posts/\(post)/reaction", body: SetReactionRequest(kind: kind))
    }

    public func removeReaction(from post: PostID) async throws -> ReactionSummary {
        try await send("DELETE", "/api/v1/posts/\(post)/reaction")
    }

    public func reactions(on post: PostID, kind: ReactionKind? = nil, cursor: String? = nil, limit: Int? = nil) async throws -> Page<Reaction> {
        var query = Self.pageQuery(cursor: cursor, limit: limit)
        if let kind { query.append(URLQueryItem(name: "kind", value: kind.rawValue)) }
        return try await send("GET", "/api/v1/posts/\(post)/reactions", query: query, auth: .optional)
    }

    public func react(toComment comment: CommentID, with kind: ReactionKind) async throws -> ReactionSummary {
        try await send("PUT", "/api/v1/comments/\(comment)/reaction", body: SetReactionRequest(kind: kind))
    }

    public func comment(on post: PostID, _ text: String, replyingTo: CommentID? = nil) async throws -> Comment {
        try await send("POST", "/api/v1/posts/\(post)/comments", body: CreateCommentRequest(text: text, inReplyToId: replyingTo))
    }

    public func comments(on post: PostID, order: CommentOrder = .top, cursor: String? = nil, limit: Int? = nil) async throws -> Page<Comment> {
        var query = Self.pageQuery(cursor: cursor, limit: limit)
        query.append(URLQueryItem(name: "sort", value: order.rawValue))
        return try await send("GET", "/api/v1/posts/\(post)/comments", query: query, auth: .optional)
    }

    public func editComment(_ id: CommentID, text: String) async throws -> Comment {
        try await send("PATCH", "/api/v1/comments/\(id)", body: UpdateCommentRequest(text: text))
    }

    public func deleteComment(_ id: CommentID) async throws {
        _ = try await send("DELETE", "/api/v1/comments/\(id)", as: Empty.self)
    }

    public func save(_ post: PostID, in collection: CollectionID? = nil) async throws -> Post {
        try await send("POST", "/api/v1/posts/\(post)/save", body: SavePostRequest(collectionId: collection))
    }

    public func unsave(_ post: PostID) async throws {
        _ = try await send("DELETE", "/api/v1/posts/\(post)/save", as: Empty.self)
    }

    public func saved(in collection: CollectionID? = nil, cursor: String? = nil, limit: Int? = nil) async throws -> Page<Post> {
        var query = Self.pageQuery(cursor: cursor, limit: limit)
        if let collection { query.append(URLQueryItem(name: "collection_id", value: collection.description)) }
        return try await send("GET", "/api/v1/saved", query: query)
    }

    public func createCollection(named name: String) async throws -> SavedCollection {
        try await send("POST", "/api/v1/collections", body: CollectionForm(name: name))
    }

    public func collections(cursor: String? = nil, limit: Int? = nil) async throws -> Page<SavedCollection> {
        try await send("GET", "/api/v1/collections", query: Self.pageQuery(cursor: cursor, limit: limit))
    }
}
