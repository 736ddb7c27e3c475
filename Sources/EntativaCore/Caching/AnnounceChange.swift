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
}
