import EntativaCore
import EntativaModels

enum PostSchemas {
    static func register(in document: OpenAPIDocument, env: PostsEnvironment) {
        let audience = Schema.string(values: env.audiences.map(\.rawValue))
        let policy = Schema.string(values: env.commentPolicies.map(\.rawValue))
        let kinds = Schema.string(values: env.reactionKinds.map(\.rawValue))
        document.addSchema(
            "PostLocation",
            Schema.object(
                [
                    "name": Schema.string(minLength: 1, maxLength: PostsEnvironment.maxLocationName),
                    "latitude": ["type": "number", "minimum": -90, "maximum": 90],
                    "longitude": ["type": "number", "minimum": -180, "maximum": 180],
                ], required: ["name", "latitude", "longitude"]))
        document.addSchema(
            "MentionedAccount", Schema.object(["id": Schema.id, "username": Schema.string()], required: ["id", "username"]))
        document.addSchema(
            "ReactionSummary",
            Schema.object(
                ["total": Schema.integer(minimum: 0), "counts": Schema.map(of: Schema.integer(minimum: 0)), "mine": kinds],
                required: ["total", "counts"]))
        document.addSchema(
            "Post",
            Schema.object(
                [
                    "id": Schema.id, "author": Schema.ref("Account"), "text": Schema.string(), "audience": audience,
                    "comment_policy": policy, "location": Schema.ref("PostLocation"),
                    "media": Schema.array(Schema.ref("MediaAttachment")), "hashtags": Schema.array(Schema.string()),
                    "mentions": Schema.array(Schema.ref("MentionedAccount")), "reactions": Schema.ref("ReactionSummary"),
                    "comment_count": Schema.integer(minimum: 0), "share_count": Schema.integer(minimum: 0), "is_share": Schema.boolean, "shared_post_id": Schema.id,
                    "shared_post": Schema.nullable(Schema.ref("Post")), "saved": Schema.boolean, "edited_at": Schema.timestamp,
                    "created_at": Schema.timestamp,
                ],
                required: [
                    "id", "author", "text", "audience", "comment_policy", "media", "hashtags", "mentions", "reactions", "comment_count",
                    "share_count", "is_share", "shared_post", "created_at",
                ]))
        document.addSchema("PostPage", Schema.page(of: "Post"))
        document.addSchema(
            "CreatePostRequest",
            Schema.object([
                "text": Schema.string(maxLength: env.maxText), "media_ids": Schema.array(Schema.id, maxItems: PostsEnvironment.maxMedia),
                "location": Schema.ref("PostLocation"), "audience": audience, "comment_policy": policy,
            ]))
        document.addSchema(
            "UpdatePostRequest",
            Schema.object(["text": Schema.string(maxLength: env.maxText), "audience": audience, "comment_policy": policy]))
        document.addSchema(
            "PostRevision",
            Schema.object(["text": Schema.string(), "audience": audience, "created_at": Schema.timestamp], required: ["text", "audience", "created_at"]))
        document.addSchema("PostRevisionPage", Schema.page(of: "PostRevision"))
        document.addSchema("SharePostRequest", Schema.object(["text": Schema.string(maxLength: env.maxText), "audience": audience]))
        document.addSchema("SetReactionRequest", Schema.object(["kind": kinds], required: ["kind"]))
        document.addSchema(
            "Reaction",
            Schema.object(["account": Schema.ref("Account"), "kind": kinds, "created_at": Schema.timestamp], required: ["account", "kind", "created_at"]))
        document.addSchema("ReactionPage", Schema.page(of: "Reaction"))
        document.addSchema(
            "Comment",
            Schema.object(
                [
                    "id": Schema.id, "post_id": Schema.id, "parent_id": Schema.id, "in_reply_to_id": Schema.id,
                    "depth": Schema.integer(minimum: 1, maximum: 5), "author": Schema.ref("Account"), "text": Schema.string(),
                    "mentions": Schema.array(Schema.ref("MentionedAccount")), "reactions": Schema.ref("ReactionSummary"),
                    "reply_count": Schema.integer(minimum: 0), "is_deleted": Schema.boolean, "edited_at": Schema.timestamp,
                    "created_at": Schema.timestamp, "replies": Schema.array(Schema.ref("Comment")),
                ],
                required: ["id", "post_id", "depth", "text", "mentions", "reactions", "reply_count", "is_deleted", "created_at", "replies"]))
        document.addSchema("CommentPage", Schema.page(of: "Comment"))
        document.addSchema(
            "CreateCommentRequest",
            Schema.object(["text": Schema.string(minLength: 1, maxLength: PostsEnvironment.maxComment), "in_reply_to_id": Schema.id], required: ["text"]))
        document.addSchema(
            "UpdateCommentRequest", Schema.object(["text": Schema.string(minLength: 1, maxLength: PostsEnvironment.maxComment)], required: ["text"]))
        document.addSchema("SavePostRequest", Schema.object(["collection_id": Schema.id]))
        document.addSchema(
            "SavedCollection",
            Schema.object(
                ["id": Schema.id, "name": Schema.string(), "post_count": Schema.integer(minimum: 0), "created_at": Schema.timestamp],
                required: ["id", "name", "post_count", "created_at"]))
        document.addSchema("SavedCollectionPage", Schema.page(of: "SavedCollection"))
        document.addSchema(
            "CollectionForm", Schema.object(["name": Schema.string(minLength: 1, maxLength: Saves.maxCollectionName)], required: ["name"]))
    }
}
