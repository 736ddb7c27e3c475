import EntativaCore
import EntativaModels

/// How readers get an author's posts, as fan-out last decided it.
enum PullState: Sendable, Equatable {
    /// Fan-out skips the author: readers pull all their posts.
    case pulled
    /// Fan-out pushes the author's posts again; those below this ID, published while they were
    /// pulled, are in nobody's entries and are still pulled.
    case pushedSince(PostID)
}

/// Which authors readers pull, decided by fan-out and nowhere else, so a post is pushed
/// exactly when readers do not pull it (decision 0019). An author's audience crossing the
/// fan-out threshold changes nothing until their next post is fanned out: readers and fan-out
/// never disagree about a post in between. Authors without a state are pushed.
struct PullStates: Sendable {
    private let cache: SharedCache<Int, [AccountID: PullState]>
    private let database: AppDatabase

    init(database: AppDatabase) {
        cache = .registered(PullStateStore.cacheName, invalidation: database.invalidation, capacity: 1, lifetime: .seconds(300), key: { _ in nil })
        self.database = database
    }

    func all() async throws -> [AccountID: PullState] {
        let database = self.database
        return try await cache.value(for: 0) { try await PullStateStore.all(on: database.sql) } ?? [:]
    }

    func isPulled(_ author: AccountID) async throws -> Bool {
        try await all()[author] == .pulled
    }

    /// The state to record for `author` now that fan-out found them `pulled` or not, or nil
    /// when the record stands. On going back to pushing, every post the author has now
    /// (`newest` tells their newest post ID) stays pulled. Asked outside any transaction: it
    /// reads through the cache and the posts domain.
    func change(for author: AccountID, pulled: Bool, newest: () async throws -> PostID) async throws -> PullState? {
        let current = try await all()[author]
        if pulled { return current == .pulled ? nil : .pulled }
        guard current == .pulled else { return nil }
        let newest = try await newest()
        return newest.rawValue < .max ? .pushedSince(PostID(rawValue: newest.rawValue + 1)) : nil
    }
}
