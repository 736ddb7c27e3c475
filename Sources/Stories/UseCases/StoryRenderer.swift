import EntativaCore
import EntativaModels
import Foundation

/// Turns visible story rows into what one viewer receives: media, seen state and, for the
/// author only, audience, hide-from list and view count, each loaded once for all the rows.
struct StoryRenderer: Sendable {
    let env: StoriesEnvironment

    func render(_ rows: [StoryStore.StoryRow], context: StoryAccess.Context) async throws -> [Story] {
        let media = try await env.attachments.attachments(rows.compactMap(\.mediaId))
        let viewer = context.viewer?.accountID
        let others = rows.filter { $0.authorId != viewer }.map(\.id)
        var seen = Set<StoryID>()
        if let viewer { seen = try await StoryStore.seen(by: viewer, among: others, on: env.database.sql) }
        let stickers = try await StickerRenderer(env: env).render(rows, viewer: viewer)
        // A reshared answer shows while the one who gave it is active.
        let answerers = Set(try await env.profiles.accounts(rows.compactMap(\.resharedFrom), viewer: nil, ignoringBlocks: true, counts: false).map(\.id))
        // One read for all of the viewer's own stories' lists, not one per story.
        let lists = try await StoryStore.hiddenLists(of: rows.filter { $0.authorId == viewer }.map(\.id), on: env.database.sql)
        var rendered: [Story] = []
        for row in rows {
            guard let author = context.author(of: row), let mediaID = row.mediaId, let attachment = media[mediaID] else { continue }
            let mine = row.authorId == viewer
            rendered.append(
                Story(
                    id: row.id, author: author, media: attachment, caption: row.caption, displaySeconds: Self.seconds(row, attachment),
                    stickers: stickers[row.id] ?? [],
                    resharedAnswer: row.resharedFrom.map(answerers.contains) == true
                        ? row.resharedText.map { ResharedAnswer(question: row.resharedQuestion ?? "", text: $0) } : nil,
                    createdAt: Date(millisecondsSince1970: row.createdAt), expiresAt: Date(millisecondsSince1970: row.expiresAt),
                    seen: mine || seen.contains(row.id), audience: mine ? row.audience : nil,
                    hideFrom: mine ? lists[row.id] ?? [] : nil,
                    viewCount: mine ? Int(row.viewCount) : nil))
        }
        return rendered
    }

    /// A video plays its own length; an image is shown for the time its author chose.
    static func seconds(_ row: StoryStore.StoryRow, _ media: MediaAttachment) -> Double {
        media.kind == .video ? (media.durationSeconds ?? 0) : Double(row.displayMillis) / 1000
    }
}
