import EntativaCore
import EntativaModels
import Posts

/// Something a seeded account did to a seeded author's post, which affinity is summed from.
public struct SeededInteraction: Sendable {
    public enum Kind: Sendable { case reaction, comment, share }
    public var viewer: AccountID
    public var author: AccountID
    public var kind: Kind
    public var at: Int64

    public init(viewer: AccountID, author: AccountID, kind: Kind, at: Int64) {
        (self.viewer, self.author, self.kind, self.at) = (viewer, author, kind, at)
    }
}

/// A post shown to a seeded reader: the post as it was at `shownAt`, and when the reader
/// engaged with it, if they did.
public struct SeededImpression: Sendable {
    public var reader: AccountID
    public var post: PostSignals
    public var shownAt: Int64
    public var dwellMs: Int
    public var engagedAt: Int64?

    public init(reader: AccountID, post: PostSignals, shownAt: Int64, dwellMs: Int, engagedAt: Int64?) {
        (self.reader, self.post, self.shownAt, self.dwellMs, self.engagedAt) = (reader, post, shownAt, dwellMs, engagedAt)
    }
}

/// Writes a seeded feed in bulk: home entries, interactions and impressions, for an empty
/// database no server is using (`entativa seed`). Impressions get their features computed here,
/// as a live showing would have them: affinity from the given interactions before the showing,
/// the kind rate from the reader's earlier seeded impressions.
public struct FeedSeeding: Sendable {
    let env: FeedEnvironment

    public init(env: FeedEnvironment) { self.env = env }

    /// Authors at this audience size are pulled on read; the seed pushes nobody's posts to them.
    public var fanOutThreshold: Int { env.settings.fanOutThreshold }

    public func insertEntries(_ entries: [(account: AccountID, post: PostID, author: AccountID)], progress: @Sendable (Int) -> Void = { _ in }) async throws {
        try await BulkWrite.run(entries, on: env.database, progress: progress) { HomeEntryStore.insert($0) }
    }

    /// Authors whose audience is at the fan-out threshold, as fan-out would have recorded them.
    public func insertPulledAuthors(_ authors: [AccountID]) async throws {
        try await PullStateStore.insertPulled(authors, on: env.database.sql)
    }

    public func insertInteractions(_ interactions: [SeededInteraction], progress: @Sendable (Int) -> Void = { _ in }) async throws {
        let rows = interactions.filter { $0.viewer != $0.author }.map {
            InteractionStore.Interaction(eventId: env.kernel.ids.next(), viewer: $0.viewer, author: $0.author, weight: Self.weight($0.kind), at: $0.at)
        }
        try await BulkWrite.run(rows, on: env.database, progress: progress) { InteractionStore.insert($0) }
    }

    /// `interactions` are those given to `insertInteractions`; impressions are taken in the order
    /// they were shown, per reader.
    public func insertImpressions(_ impressions: [SeededImpression], interactions: [SeededInteraction]) async throws {
        struct Pair: Hashable { var viewer: AccountID, author: AccountID }
        var history: [Pair: [(weight: Int, at: Int64)]] = [:]
        for item in interactions where item.viewer != item.author {
            history[Pair(viewer: item.viewer, author: item.author), default: []].append((Self.weight(item.kind), item.at))
        }
        struct Seen: Hashable { var reader: AccountID, kind: PostKind }
        var past: [Seen: [(shownAt: Int64, engagedAt: Int64?)]] = [:]
        var rows: [ImpressionStore.Impression] = []
        for impression in impressions.sorted(by: { $0.shownAt < $1.shownAt }) {
            let now = impression.shownAt
            let affinity = (history[Pair(viewer: impression.reader, author: impression.post.author)] ?? [])
                .filter { $0.at < now && $0.at >= now - Affinity.horizonMillis }
                .reduce(0) { $0 + Affinity.decayed($1.weight, at: $1.at, now: now) }
            let key = Seen(reader: impression.reader, kind: impression.post.kind)
            // As the live history: the reader's showings of the last 30 days, engaged by now.
            let earlier = (past[key] ?? []).filter { $0.shownAt >= now - Impressions.retentionMillis }
            let engaged = earlier.count { $0.engagedAt.map { $0 <= now } ?? false }
            let features = EngagementFeatures(
                post: impression.post, affinity: affinity,
                kindRate: EngagementFeatures.kindRate(engaged: engaged, shown: earlier.count), now: now)
            past[key, default: []].append((now, impression.engagedAt))
            rows.append(ImpressionStore.Impression(
                account: impression.reader, post: impression.post.id, author: impression.post.author, shownAt: now,
                dwellMs: impression.dwellMs, features: features, engagedAt: impression.engagedAt))
        }
        try await BulkWrite.run(rows, on: env.database) { ImpressionStore.insert($0) }
    }

    /// How many homes a post was pushed into: what the publish benchmark waits for.
    public func homesHolding(_ post: PostID) async throws -> Int {
        try await HomeEntryStore.homesHolding(post, on: env.database.sql)
    }

    private static func weight(_ kind: SeededInteraction.Kind) -> Int {
        switch kind {
        case .reaction: Affinity.weights.reaction
        case .comment: Affinity.weights.comment
        case .share: Affinity.weights.share
        }
    }
}
