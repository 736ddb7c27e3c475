import EntativaCore
import EntativaModels

/// Reaction counts of posts and comments, and each viewer's own reaction and save, kept in memory
/// for the read path. Every write of a reaction or save announces its target and account
/// (`ReactionStore.announceChange`), which drops both here and in every other instance.
struct Engagement: Sendable {
    private struct Target: Hashable, Sendable {
        var kind: ReactionStore.Target
        var id: Int64
    }

    private struct Own: Hashable, Sendable {
        var viewer: AccountID
        var target: Target
    }

    private let counts: SharedCache<Target, [String: Int]>
    private let own: SharedCache<Own, OwnEngagement>
    private let database: AppDatabase

    init(database: AppDatabase) {
        let counts = SharedCache<Target, [String: Int]>(invalidation: database.invalidation, capacity: 100_000, lifetime: .seconds(300))
        let own = SharedCache<Own, OwnEngagement>(invalidation: database.invalidation, capacity: 200_000, lifetime: .seconds(300))
        database.invalidation.register(ReactionStore.cacheName, cache: CacheGroup([counts, own])) { key in
            let parts = key.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2 || parts.count == 3, let kind = ReactionStore.Target(rawValue: String(parts[0])),
                let id = Int64(parts[1])
            else {
                counts.removeAll()
                own.removeAll()
                return
            }
            let target = Target(kind: kind, id: id)
            counts.remove(target)
            if parts.count == 3, let viewer = AccountID(String(parts[2])) {
                own.remove(Own(viewer: viewer, target: target))
            } else {
                own.remove { key, _ in key.target == target }
            }
        }
        self.counts = counts
        self.own = own
        self.database = database
    }

    /// What `viewer` sees of each target's engagement: counts, their own reaction and (posts)
    /// whether they saved it. At most two statements for any number of targets, none when warm.
    func view(on kind: ReactionStore.Target, _ ids: [Int64], viewer: AccountID?) async throws -> [Int64: (summary: ReactionSummary, saved: Bool)] {
        guard !ids.isEmpty else { return [:] }
        let database = self.database
        let targets = ids.map { Target(kind: kind, id: $0) }
        let perKind = try await counts.values(for: targets, absent: [:]) { missing in
            let loaded = try await ReactionStore.counts(on: kind, missing.map(\.id), on: database.sql)
            return Dictionary(uniqueKeysWithValues: loaded.map { (Target(kind: kind, id: $0.key), $0.value) })
        }
        var mine: [Own: OwnEngagement] = [:]
        if let viewer {
            mine = try await own.values(for: targets.map { Own(viewer: viewer, target: $0) }, absent: OwnEngagement()) { missing in
                let loaded = try await ReactionStore.own(on: kind, missing.map(\.target.id), by: viewer, on: database.sql)
                return Dictionary(uniqueKeysWithValues: loaded.map { (Own(viewer: viewer, target: Target(kind: kind, id: $0.key)), $0.value) })
            }
        }
        var result: [Int64: (summary: ReactionSummary, saved: Bool)] = [:]
        for target in targets {
            let counts = perKind[target] ?? [:]
            let own = viewer.flatMap { mine[Own(viewer: $0, target: target)] } ?? OwnEngagement()
            result[target.id] = (ReactionSummary(total: counts.values.reduce(0, +), counts: counts, mine: own.reaction), own.saved)
        }
        return result
    }
}
