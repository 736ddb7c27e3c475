import EntativaCore
import EntativaModels
import SQLKit

/// Bulk statements for `StorySeeding`: integers and one fixed audience only, spelled out.
enum StorySeedStore {
    static func insertStories(_ stories: ArraySlice<SeededStory>, media: MediaID, lifetime: Int64) -> SQLQueryString {
        let rows = stories.map {
            "(\($0.id.rawValue), \($0.author.rawValue), '', \($0.createdAt), \($0.createdAt + lifetime), \(media.rawValue), 'public', 5000)"
        }.joined(separator: ", ")
        return """
            INSERT INTO stories (id, author_id, caption, created_at, expires_at, media_id, audience, display_millis) VALUES \(unsafeRaw: rows)
            """
    }

    static func insertViews(_ views: ArraySlice<SeededStoryView>) -> SQLQueryString {
        let rows = views.map { "(\($0.id), \($0.story.rawValue), \($0.viewer.rawValue), \($0.at))" }.joined(separator: ", ")
        return "INSERT INTO story_views (id, story_id, viewer_id, viewed_at) VALUES \(unsafeRaw: rows) ON CONFLICT DO NOTHING"
    }
}
