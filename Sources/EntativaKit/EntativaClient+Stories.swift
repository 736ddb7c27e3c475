import EntativaModels
import Foundation

extension EntativaClient {
    /// My stories that have left the tray, newest first.
    public func storyArchive(cursor: String? = nil, limit: Int? = nil) async throws -> Page<ArchivedStory> {
        try await send("GET", "/api/v1/stories/archive", query: Self.pageQuery(cursor: cursor, limit: limit))
    }
}
