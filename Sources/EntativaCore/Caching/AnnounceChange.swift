import SQLKit

extension SQLDatabase {
    /// Tells cache `name` in every instance that what it keeps under `key` changed with this
    /// write: in this process once the surrounding transaction ends (at once outside one), and
    /// on PostgreSQL in every other instance when the transaction commits.
    public func announceChange(to name: String, key: String) async throws {
        guard let routed = self as? RoutedSQLDatabase else {
            preconditionFailure("announceChange needs a handle from AppDatabase")
        }
        let invalidation = routed.invalidation
        if invalidation.engine == .postgres {
            try await raw("SELECT pg_notify(\(bind: CacheInvalidation.channel), \(bind: "\(name):\(key)"))").run()
        }
        if let after = routed.afterTransaction {
            after.add { invalidation.deliver(cache: name, key: key) }
        } else {
            invalidation.deliver(cache: name, key: key)
        }
    }

    /// `announceChange(to:key:)` for many keys of one cache, a few hundred to a statement: each
    /// announcement carries its keys joined by commas (PostgreSQL caps a notification at 8,000
    /// bytes), so the cache's handler must split them (`CacheInvalidation.registerKeyLists`, which
    /// `SharedCache.registered` uses).
    public func announceChanges(to name: String, keys: some Sequence<String>) async throws {
        var batch = ""
        for key in keys {
            precondition(!key.contains(","), "announced keys cannot contain ','")
            if !batch.isEmpty, batch.utf8.count + key.utf8.count >= announcementBytes {
                try await announceChange(to: name, key: batch)
                batch = ""
            }
            batch += batch.isEmpty ? key : "," + key
        }
        if !batch.isEmpty { try await announceChange(to: name, key: batch) }
    }
}

/// Room for the keys of one announcement, under PostgreSQL's 8,000-byte payload with the
/// cache's name in front.
private let announcementBytes = 7_000
