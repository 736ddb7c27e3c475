import EntativaCore
import EntativaModels

/// How close a reader is to each of some authors, for domains that order by it (the stories
/// tray) without reading the feed's tables. The same scores as ranked timelines use (`Affinity`).
public struct ReaderAffinity: Sendable {
    let env: FeedEnvironment

    public init(env: FeedEnvironment) { self.env = env }

    /// Scores at the clock's now; authors the reader never interacted with are absent.
    public func scores(of reader: AccountID, with authors: some Collection<AccountID> & Sendable) async throws -> [AccountID: Double] {
        try await env.history.affinity(of: reader, with: authors, now: env.kernel.clock.nowMillis())
    }
}
