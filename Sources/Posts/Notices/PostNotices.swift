import EntativaCore
import EntativaModels

/// Posts' notification types and who may see what they point at: a `post` or `comment` target
/// is visible to whoever the post's audience lets see it now.
struct PostNotices: Sendable {
    let env: PostsEnvironment

    static let kinds: [NotificationKind] = [
        .init("mention", "Someone mentioned you in a post or comment.", groupable: true, target: "post",
              text: "{actor} mentioned you", groupText: "{actor} and {others} mentioned you"),
        .init("reaction", "Someone reacted to your post.", groupable: true, target: "post",
              text: "{actor} reacted to your post", groupText: "{actor} and {others} reacted to your post"),
        .init("comment_reaction", "Someone reacted to your comment.", groupable: true, target: "comment",
              text: "{actor} reacted to your comment", groupText: "{actor} and {others} reacted to your comment"),
        .init("comment", "Someone commented on your post.", groupable: true, target: "post",
              text: "{actor} commented on your post", groupText: "{actor} and {others} commented on your post"),
        .init("reply", "Someone replied to your comment.", groupable: true, target: "comment",
              text: "{actor} replied to your comment", groupText: "{actor} and {others} replied to your comment"),
        .init("share", "Someone shared your post.", groupable: true, target: "post",
              text: "{actor} shared your post", groupText: "{actor} and {others} shared your post"),
        .init("quote", "Someone quoted your post with their own words.", groupable: true, target: "post",
              text: "{actor} quoted your post", groupText: "{actor} and {others} quoted your post"),
    ]

    func register() throws {
        let catalog = env.kernel.notificationCatalog
        try catalog.register(Self.kinds)
        let visibility = PostVisibility(env: env)
        try catalog.registerTarget("post") { ids, recipient in
            Set(try await visibility.visiblePosts(ids.compactMap(PostID.init), to: recipient).map(\.description))
        }
        try catalog.registerTarget("comment") { ids, recipient in
            Set(try await visibility.visibleComments(ids.compactMap(CommentID.init), to: recipient).map(\.description))
        }
        PostNoticeConsumers(kernel: env.kernel).subscribe()
    }
}
