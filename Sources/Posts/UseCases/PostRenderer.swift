import EntativaCore
import EntativaModels
import Foundation

/// Turns visible post rows into what one viewer receives, a page at a time: media, reaction
/// summaries, saved flags and shared originals are each loaded once for the whole page.
struct PostRenderer: Sendable {
    let env: PostsEnvironment

    func render(_ rows: [PostRow], context: PostAccess.Context) async throws -> [Post] {
        let originalIDs = Array(Set(rows.compactMap(\.original)))
        let originals = try await env.rows.find(originalIDs)
        let originalContext = try await PostAccess(env: env).context(for: originals, viewer: context.viewer)
        let visibleOriginals = originals.filter { originalContext.canSee($0) }
        let all = rows + visibleOriginals
        let ids = all.map(\.id)

        let mediaIDs = try await env.rows.media(of: ids)
        let attachments = try await env.attachments.attachments(mediaIDs.values.flatMap { $0 })
        let engagement = try await env.engagement.view(on: .post, ids.map(\.rawValue), viewer: context.viewer?.accountID)

        func post(_ row: PostRow, author: Account, shared: Post?) -> Post {
            Post(
                id: row.id, author: author, text: row.text, audience: row.audience, commentPolicy: row.commentPolicy,
                location: row.location, media: (mediaIDs[row.id] ?? []).compactMap { attachments[$0] }, hashtags: row.hashtagList,
                mentions: row.mentionList, reactions: engagement[row.id.rawValue]?.summary ?? ReactionSummary(total: 0, counts: [:], mine: nil),
                commentCount: Int(row.commentCount), shareCount: Int(row.shareCount), isShare: row.sharedPostId != nil, sharedPostId: shared?.id,
                sharedPost: shared, saved: context.viewer == nil ? nil : engagement[row.id.rawValue]?.saved ?? false,
                editedAt: row.editedAt.map(Date.init(millisecondsSince1970:)), createdAt: Date(millisecondsSince1970: row.createdAt))
        }
        var originalPosts: [PostID: Post] = [:]
        for row in visibleOriginals {
            if let author = originalContext.author(of: row) { originalPosts[row.id] = post(row, author: author, shared: nil) }
        }
        return rows.compactMap { row in
            guard let author = context.author(of: row) else { return nil }
            return post(row, author: author, shared: row.sharedPostId.flatMap { originalPosts[$0] })
        }
    }

    func render(_ row: PostRow, context: PostAccess.Context) async throws -> Post {
        guard let post = try await render([row], context: context).first else { throw AppError.notFound("post") }
        return post
    }
}
