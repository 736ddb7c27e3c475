import Foundation

// Keys are written in the order `.sortedKeys` gives (UTF-8 byte order of the snake_case
// names: `_` sorts before letters, a prefix before its extensions), optionals that are nil
// are left out as the synthesized `Encodable` does, and `Indirect` values are written as null.
// `WireWritingTests` holds each of these to the encoder's bytes.

extension Post: JSONWritable {
    public func writeJSON(to writer: inout JSONByteWriter) {
        writer.beginObject()
        writer.key("audience"); writer.rawValue(audience)
        writer.key("author"); author.writeJSON(to: &writer)
        writer.key("comment_count"); writer.int(commentCount)
        writer.key("comment_policy"); writer.rawValue(commentPolicy)
        writer.key("created_at"); writer.timestamp(createdAt)
        if let editedAt { writer.key("edited_at"); writer.timestamp(editedAt) }
        writer.key("hashtags"); writer.array(hashtags)
        writer.key("id"); writer.identifier(id)
        writer.key("is_share"); writer.bool(isShare)
        if let location { writer.key("location"); location.writeJSON(to: &writer) }
        writer.key("media"); writer.array(media)
        writer.key("mentions"); writer.array(mentions)
        writer.key("reactions"); reactions.writeJSON(to: &writer)
        if let saved { writer.key("saved"); writer.bool(saved) }
        writer.key("share_count"); writer.int(shareCount)
        writer.key("shared_post")
        if let sharedPost { sharedPost.writeJSON(to: &writer) } else { writer.null() }
        if let sharedPostId { writer.key("shared_post_id"); writer.identifier(sharedPostId) }
        writer.key("text"); writer.string(text)
        writer.endObject()
    }
}

extension Account: JSONWritable {
    public func writeJSON(to writer: inout JSONByteWriter) {
        writer.beginObject()
        writer.key("bio"); writer.string(bio)
        writer.key("created_at"); writer.timestamp(createdAt)
        writer.key("display_name"); writer.string(displayName)
        if let email { writer.key("email"); writer.string(email) }
        if let emailVerified { writer.key("email_verified"); writer.bool(emailVerified) }
        writer.key("followers_count"); writer.int(followersCount)
        writer.key("following_count"); writer.int(followingCount)
        if let friendsCount { writer.key("friends_count"); writer.int(friendsCount) }
        writer.key("id"); writer.identifier(id)
        writer.key("is_private"); writer.bool(isPrivate)
        writer.key("links"); writer.array(links)
        writer.key("posts_count"); writer.int(postsCount)
        writer.key("role"); writer.rawValue(role)
        if let suspended { writer.key("suspended"); writer.bool(suspended) }
        if let totpEnabled { writer.key("totp_enabled"); writer.bool(totpEnabled) }
        writer.key("username"); writer.string(username)
        writer.endObject()
    }
}

extension MentionedAccount: JSONWritable {
    public func writeJSON(to writer: inout JSONByteWriter) {
        writer.beginObject()
        writer.key("id"); writer.identifier(id)
        writer.key("username"); writer.string(username)
        writer.endObject()
    }
}

extension ReactionSummary: JSONWritable {
    public func writeJSON(to writer: inout JSONByteWriter) {
        writer.beginObject()
        writer.key("counts")
        writer.beginObject()
        for kind in counts.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            writer.key(dynamic: kind)
            writer.int(counts[kind] ?? 0)
        }
        writer.endObject()
        if let mine { writer.key("mine"); writer.rawValue(mine) }
        writer.key("total"); writer.int(total)
        writer.endObject()
    }
}

extension PostLocation: JSONWritable {
    public func writeJSON(to writer: inout JSONByteWriter) {
        writer.beginObject()
        writer.key("latitude"); writer.double(latitude)
        writer.key("longitude"); writer.double(longitude)
        writer.key("name"); writer.string(name)
        writer.endObject()
    }
}

extension MediaAttachment: JSONWritable {
    public func writeJSON(to writer: inout JSONByteWriter) {
        writer.beginObject()
        if let altText { writer.key("alt_text"); writer.string(altText) }
        if let blurhash { writer.key("blurhash"); writer.string(blurhash) }
        writer.key("created_at"); writer.timestamp(createdAt)
        if let dominantColor { writer.key("dominant_color"); writer.string(dominantColor) }
        if let durationSeconds { writer.key("duration_seconds"); writer.double(durationSeconds) }
        if let failureReason { writer.key("failure_reason"); writer.string(failureReason) }
        if let focalPoint { writer.key("focal_point"); focalPoint.writeJSON(to: &writer) }
        if let height { writer.key("height"); writer.int(height) }
        writer.key("id"); writer.identifier(id)
        writer.key("is_private"); writer.bool(isPrivate)
        writer.key("kind"); writer.rawValue(kind)
        writer.key("progress"); writer.int(progress)
        writer.key("state"); writer.rawValue(state)
        writer.key("variants"); writer.array(variants)
        if let waveform { writer.key("waveform"); writer.array(waveform) { writer, peak in writer.double(peak) } }
        if let width { writer.key("width"); writer.int(width) }
        writer.endObject()
    }
}

extension MediaVariant: JSONWritable {
    public func writeJSON(to writer: inout JSONByteWriter) {
        writer.beginObject()
        if let bitrate { writer.key("bitrate"); writer.int(bitrate) }
        writer.key("content_type"); writer.string(contentType)
        if let height { writer.key("height"); writer.int(height) }
        writer.key("name"); writer.string(name)
        writer.key("url"); writer.string(url)
        if let width { writer.key("width"); writer.int(width) }
        writer.endObject()
    }
}

extension FocalPoint: JSONWritable {
    public func writeJSON(to writer: inout JSONByteWriter) {
        writer.beginObject()
        writer.key("x"); writer.double(x)
        writer.key("y"); writer.double(y)
        writer.endObject()
    }
}

extension Page: JSONWritable where Item: JSONWritable {
    public func writeJSON(to writer: inout JSONByteWriter) {
        writer.beginObject()
        writer.key("items"); writer.array(items)
        writer.key("next_cursor")
        if let nextCursor { writer.string(nextCursor) } else { writer.null() }
        writer.endObject()
    }
}

extension StoryTrayItem: JSONWritable {
    public func writeJSON(to writer: inout JSONByteWriter) {
        writer.beginObject()
        writer.key("account"); account.writeJSON(to: &writer)
        writer.key("close_friends"); writer.bool(closeFriends)
        writer.key("latest_at"); writer.timestamp(latestAt)
        writer.key("story_count"); writer.int(storyCount)
        writer.key("unseen_count"); writer.int(unseenCount)
        writer.endObject()
    }
}
