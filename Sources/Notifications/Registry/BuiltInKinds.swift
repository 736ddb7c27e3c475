import EntativaModels

extension NotificationRegistry {
    private static let quietDefaults = TypePreference(inApp: true, push: false, email: false, from: .everyone)
    private static let securityDefaults = TypePreference(inApp: true, push: true, email: true, from: .everyone)

    /// The types this release knows. Stories, messaging and trends produce theirs once those
    /// domains land; their types are declared now so preferences and docs are complete.
    static let builtIn: [NotificationKind] = [
        .init("follow", "Someone followed you.", groupable: true, target: nil,
              text: "{actor} followed you", groupText: "{actor} and {others} followed you"),
        .init("follow_request", "Someone asked to follow your private account.", groupable: true, target: nil,
              text: "{actor} asked to follow you", groupText: "{actor} and {others} asked to follow you"),
        .init("follow_accepted", "Someone approved your follow request.", groupable: true, target: nil,
              text: "{actor} accepted your follow request", groupText: "{actor} and {others} accepted your follow requests"),
        .init("friend_request", "Someone sent you a friend request (Entativa).", groupable: true, target: nil,
              text: "{actor} sent you a friend request", groupText: "{actor} and {others} sent you friend requests"),
        .init("friend_accepted", "Someone accepted your friend request (Entativa).", groupable: true, target: nil,
              text: "{actor} accepted your friend request", groupText: "{actor} and {others} accepted your friend requests"),
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
        .init("story_reply", "Someone replied to your story.", groupable: true, target: "story",
              text: "{actor} replied to your story", groupText: "{actor} and {others} replied to your story"),
        .init("story_mention", "Someone mentioned you in their story.", groupable: false, target: "story",
              text: "{actor} mentioned you in their story"),
        .init("sticker_response", "Someone answered a sticker (poll, quiz, question …) on your story.", groupable: true, target: "story",
              text: "{actor} responded to your story", groupText: "{actor} and {others} responded to your story"),
        .init("countdown_ended", "A countdown you follow has ended.", groupable: false, target: "story",
              text: "A countdown you follow has ended", defaults: quietDefaults),
        .init("trend_joined", "Someone joined a trend you started; you are credited as its originator.", groupable: true, target: "trend",
              text: "{actor} joined your trend", groupText: "{actor} and {others} joined your trend"),
        .init("message_request", "Someone who is not connected to you wants to message you.", groupable: true, target: nil,
              text: "{actor} wants to send you a message", groupText: "{actor} and {others} want to send you messages"),
        .init("new_login", "Your account was signed in to from a new device.", groupable: false, target: "session",
              text: "New sign-in to your account", defaults: securityDefaults),
        .init("moderation", "A moderation decision about your account or content.", groupable: false, target: nil,
              text: "A moderation decision concerns you", defaults: securityDefaults),
    ]
}
