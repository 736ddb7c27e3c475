import EntativaCore
import EntativaModels
import Graph
import SQLKit

/// Who may see which story: the one rule every story read goes through.
///
/// A story is visible while it is in its author's tray (it expires exactly 24 hours after it was
/// posted, whether or not the sweep has run), when its author is visible to the viewer (active,
/// and neither blocks the other), the viewer is in its audience and not on its hide-from list.
/// Its author always sees it, in the tray and in the archive. Anything else is invisible.
struct StoryAccess: Sendable {
    let env: StoriesEnvironment

    struct Context: Sendable {
        var viewer: Principal?
        var authors: [AccountID: Account]
        var connections: ViewerConnections
        var hidden: Set<StoryID>
        var now: Int64

        func author(of row: StoryStore.StoryRow) -> Account? { authors[row.authorId] }

        func canSee(_ row: StoryStore.StoryRow) -> Bool {
            row.mediaId != nil && canSee(row.id, by: row.authorId, audience: row.audience, expiresAt: row.expiresAt)
        }

        /// `canSee` for a story the tray keeps in memory (which always has its media).
        func canSee(_ story: LiveStories.Story) -> Bool {
            canSee(story.id, by: story.author, audience: story.audience, expiresAt: story.expiresAt)
        }

        /// The same rule without expiry: a story in a highlight outlives its day, never its
        /// audience or hide-from list.
        func canSeeInHighlight(_ row: StoryStore.StoryRow) -> Bool {
            row.mediaId != nil && canSee(row.id, by: row.authorId, audience: row.audience, expiresAt: nil)
        }

        /// The rule itself; `expiresAt` nil ignores expiry. The author always sees their own.
        private func canSee(_ id: StoryID, by authorID: AccountID, audience: StoryAudience, expiresAt: Int64?) -> Bool {
            guard let author = authors[authorID] else { return false }
            if viewer?.accountID == author.id { return true }
            guard expiresAt.map({ $0 > now }) ?? true, !hidden.contains(id) else { return false }
            return reaches(audience, of: author)
        }

        func reaches(_ audience: StoryAudience, of author: Account) -> Bool {
            guard let viewer else { return audience == .public && !author.isPrivate }
            if viewer.accountID == author.id { return true }
            switch audience {
            case .public: return connections.reachesEveryone(of: author)
            case .followers: return connections.following.contains(author.id)
            case .friends: return connections.friends.contains(author.id)
            case .closeFriends: return connections.closeFriendOf.contains(author.id)
            }
        }
    }

    func context(for rows: [StoryStore.StoryRow], viewer: Principal?) async throws -> Context {
        let others = rows.filter { $0.authorId != viewer?.accountID }.map(\.id)
        var hidden = Set<StoryID>()
        if let viewer { hidden = try await StoryStore.hidden(from: viewer.accountID, among: others, on: env.database.sql) }
        return try await context(for: rows, viewer: viewer, hidden: hidden)
    }

    /// `context(for:viewer:)` when the caller already knows which of the rows are hidden from the viewer.
    func context(for rows: [StoryStore.StoryRow], viewer: Principal?, hidden: Set<StoryID>) async throws -> Context {
        try await context(authors: Array(Set(rows.map(\.authorId))), viewer: viewer, hidden: hidden)
    }

    /// `counts: false` when the accounts only decide visibility and never reach the client.
    func context(authors authorIDs: [AccountID], viewer: Principal?, hidden: Set<StoryID>, counts: Bool = true) async throws -> Context {
        let accounts = try await env.profiles.accounts(authorIDs, viewer: viewer, counts: counts)
        let connections = try await env.connections.of(viewer?.accountID, with: authorIDs)
        return Context(
            viewer: viewer, authors: Dictionary(uniqueKeysWithValues: accounts.map { ($0.id, $0) }), connections: connections, hidden: hidden,
            now: env.now)
    }

    /// The story if `viewer` may see it; otherwise 404, whatever the reason.
    func visible(_ id: StoryID, viewer: Principal?) async throws -> (row: StoryStore.StoryRow, context: Context) {
        guard let row = try await StoryStore.find(id, on: env.database.sql) else { throw AppError.notFound("story") }
        let context = try await context(for: [row], viewer: viewer)
        guard context.canSee(row) else { throw AppError.notFound("story") }
        return (row, context)
    }

    /// The caller's own story, live or archived; anyone else's is a 404.
    func own(_ id: StoryID, caller: Principal, on db: any SQLDatabase, lock: String = "") async throws -> StoryStore.StoryRow {
        guard let row = try await StoryStore.find(id, on: db, lock: lock), row.authorId == caller.accountID, row.mediaId != nil else {
            throw AppError.notFound("story")
        }
        return row
    }
}
