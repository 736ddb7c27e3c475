import EntativaCore
import EntativaModels
import Foundation

/// Stories leave the tray when their time is up and stay, for their owner only, in the archive.
public struct StoryArchive: Sendable {
    let env: StoriesEnvironment

    public init(env: StoriesEnvironment) { self.env = env }

    struct Sweep: Codable, Sendable {}
    static let sweepJob = JobDefinition<Sweep>("stories.archive_expired", maxAttempts: 5)

    func registerJobs() throws {
        let archive = self
        env.kernel.jobs.register(Self.sweepJob) { _ in _ = try await archive.archiveExpired() }
        try env.kernel.jobs.every(Self.sweepJob, interval: env.settings.archiveSweepInterval, payload: Sweep())
    }

    /// Moves every expired story into its owner's archive; answers how many moved. A story is out
    /// of the tray the moment it expires whether or not this has run (readers compare
    /// `expires_at`); the sweep only makes it show in the archive.
    @discardableResult
    public func archiveExpired() async throws -> Int {
        let now = env.now
        return try await env.database.transaction { db in try await StoryStore.archiveExpired(now: now, on: db) }
    }

    /// The caller's archived stories, newest first. Nobody else's: an archive is private.
    public func list(caller: Principal, page: PageRequest) async throws -> Page<ArchivedStory> {
        let rows = try await StoryStore.archived(of: caller.accountID, before: page.before, limit: page.limit + 1, on: env.database.sql)
        let (shown, next) = PageRequest.split(rows, limit: page.limit) { String($0.id.rawValue) }
        return Page(items: shown.compactMap(Self.dto), nextCursor: next)
    }

    static func dto(_ row: StoryStore.StoryRow) -> ArchivedStory? {
        guard let archivedAt = row.archivedAt else { return nil }
        return ArchivedStory(
            id: row.id, caption: row.caption, createdAt: Date(millisecondsSince1970: row.createdAt),
            expiresAt: Date(millisecondsSince1970: row.expiresAt), archivedAt: Date(millisecondsSince1970: archivedAt))
    }
}
