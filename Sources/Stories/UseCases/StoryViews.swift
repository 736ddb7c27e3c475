import EntativaCore
import EntativaModels
import Foundation

/// One view per viewer per story, and "seen by" for its author.
public struct StoryViews: Sendable {
    let env: StoriesEnvironment

    public init(env: StoriesEnvironment) { self.env = env }

    /// Marks the story seen by the caller. Seeing it again counts as a repeat view (up to 10);
    /// one's own changes nothing.
    public func record(_ id: StoryID, viewer: Principal) async throws {
        let (row, _) = try await StoryAccess(env: env).visible(id, viewer: viewer)
        guard row.authorId != viewer.accountID else { return }
        let (viewID, now) = (env.kernel.ids.next(), env.now)
        let lock = env.database.forShare
        _ = try await env.database.transaction { db in
            guard try await !StoryStore.existing([id], on: db, lock: lock).isEmpty else { throw AppError.notFound("story") }
            return try await StoryStore.recordView(id: viewID, story: id, viewer: viewer.accountID, now: now, maxTimes: StoryInsightsReport.maxViewsPerViewer, on: db)
        }
    }

    /// Who saw my story, newest first. Accounts I cannot see (blocked either way, suspended,
    /// deleted) are left out of the page; nobody but the author may ask.
    public func viewers(of id: StoryID, caller: Principal, page: PageRequest) async throws -> Page<StoryViewer> {
        let db = env.database.sql
        _ = try await StoryAccess(env: env).own(id, caller: caller, on: db)
        let rows = try await StoryStore.views(of: id, before: page.before, limit: page.limit + 1, on: db)
        let (shown, next) = PageRequest.split(rows, limit: page.limit) { String($0.id) }
        let accounts = try await env.profiles.accounts(shown.map(\.viewerId), viewer: caller, counts: false)
        let byID = Dictionary(uniqueKeysWithValues: accounts.map { ($0.id, $0) })
        return Page(
            items: shown.compactMap { row in
                byID[row.viewerId].map { StoryViewer(account: $0, viewedAt: Date(millisecondsSince1970: row.viewedAt)) }
            },
            nextCursor: next)
    }
}
