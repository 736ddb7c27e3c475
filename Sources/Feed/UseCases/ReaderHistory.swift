import EntativaCore
import EntativaModels
import Foundation
import Posts

/// What ranking knows of a reader's own past, kept in memory per reader so a ranked page costs
/// no statement: their affinity with every author they interacted with, how often they engaged
/// with each kind of post they were shown, which posts they were shown, and the newest model.
///
/// Recording interactions or impressions announces the reader (`InteractionStore.cacheName`,
/// `ImpressionStore.cacheName`), so a change shows on the next read. Time is the other change.
/// Each value is read at one instant of the injected clock and carried forward exactly:
/// - Affinity decays by the same factor for every interaction (2^(−Δt ÷ half-life)), so the
///   scores read at `t₀` times that factor are the scores at `t`.
/// - A value is read again once `t` is earlier than `t₀`, or once an interaction or showing in
///   it has passed its horizon.
struct ReaderHistory: Sendable {
    /// Past this many showings a reader's seen set is asked per page rather than kept.
    static let seenKept = 5_000

    private struct AffinityAt: Sendable {
        var at: Int64
        var scores: [AccountID: Double]
        /// The oldest and newest interaction summed.
        var first: Int64
        var last: Int64
    }

    private enum Seen: Sendable {
        case all(Set<PostID>)
        case tooMany
    }

    /// Kept also when there is none, so a server with no model yet does not ask on every page.
    private struct LatestModel: Sendable {
        var stored: ImpressionStore.StoredModel?
    }

    private struct KindsAt: Sendable {
        var at: Int64
        var history: ImpressionStore.KindHistory
    }

    private let affinity: SharedCache<AccountID, AffinityAt>
    private let kinds: SharedCache<AccountID, KindsAt>
    private let seen: SharedCache<AccountID, Seen>
    private let model: SharedCache<Int, LatestModel>
    private let database: AppDatabase

    init(database: AppDatabase) {
        let invalidation = database.invalidation
        affinity = .registered(
            InteractionStore.cacheName, invalidation: invalidation, capacity: 10_000, lifetime: .seconds(300), key: { AccountID($0) })
        let kinds = SharedCache<AccountID, KindsAt>(invalidation: invalidation, capacity: 10_000, lifetime: .seconds(300))
        let seen = SharedCache<AccountID, Seen>(invalidation: invalidation, capacity: 10_000, lifetime: .seconds(300))
        invalidation.registerKeyLists(ImpressionStore.cacheName, cache: CacheGroup([kinds, seen]), key: { AccountID(String($0)) }) {
            kinds.remove($0)
            seen.remove($0)
        }
        self.kinds = kinds
        self.seen = seen
        model = .registered(ImpressionStore.modelCacheName, invalidation: invalidation, capacity: 1, lifetime: .seconds(300), key: { _ in nil })
        self.database = database
    }

    /// The reader's affinity with each of `authors` (absent when none), at `now`:
    /// Σ weight × 2^(−age ÷ half-life) over the interactions of the last `Affinity.horizonMillis`.
    func affinity(of reader: AccountID, with authors: some Collection<AccountID>, now: Int64) async throws -> [AccountID: Double] {
        let database = self.database
        let horizon = Affinity.horizonMillis
        let read = try await affinity.value(
            for: reader, isFresh: { $0.at <= now && $0.last <= $0.at && $0.first >= now - horizon },
            load: {
                let history = try await InteractionStore.history(of: reader, since: now - horizon, on: database.sql)
                var scores: [AccountID: Double] = [:]
                for item in history { scores[item.author, default: 0] += Affinity.decayed(item.weight, at: item.at, now: now) }
                return AffinityAt(
                    at: now, scores: scores, first: history.map(\.at).min() ?? .max, last: history.map(\.at).max() ?? .min)
            })
        guard let read else { return [:] }
        let factor = read.at == now ? 1 : exp2(-Double(now - read.at) / Affinity.halfLifeMillis)
        var scores: [AccountID: Double] = [:]
        for author in authors {
            if let score = read.scores[author] { scores[author] = score * factor }
        }
        return scores
    }

    /// How often the reader was shown and engaged with each kind of post over the last
    /// `Impressions.retentionMillis` before `now`.
    func kindHistory(of reader: AccountID, now: Int64) async throws -> [PostKind: (shown: Int, engaged: Int)] {
        let database = self.database
        let since = now - Impressions.retentionMillis
        return try await kinds.value(
            for: reader, isFresh: { $0.at <= now && $0.history.last <= $0.at && $0.history.first >= since },
            load: { KindsAt(at: now, history: try await ImpressionStore.kindHistory(of: reader, since: since, on: database.sql)) }
        )?.history.kinds ?? [:]
    }

    /// Which of `posts` the reader has been shown.
    func seen(by reader: AccountID, among posts: [PostID]) async throws -> Set<PostID> {
        let database = self.database
        let kept = try await seen.value(for: reader) {
            let shown = try await ImpressionStore.shown(to: reader, limit: Self.seenKept + 1, on: database.sql)
            return shown.count > Self.seenKept ? .tooMany : .all(Set(shown))
        }
        guard case .all(let shown)? = kept else {
            return try await ImpressionStore.seen(by: reader, among: posts, on: database.sql)
        }
        return Set(posts.filter(shown.contains))
    }

    /// The newest trained model, if any.
    func latestModel() async throws -> ImpressionStore.StoredModel? {
        let database = self.database
        return try await model.value(for: 0) { LatestModel(stored: try await ImpressionStore.latestModel(on: database.sql)) }?.stored
    }
}
