import Synchronization

/// A cache that the invalidation bus can empty, whatever its key and value types.
public protocol InvalidatableCache: Sendable {
    func removeAll()
}

/// How in-process caches learn that the database changed under them, on every instance.
///
/// A store that changes cached data calls `announceChange(to:key:)` on the database handle it
/// writes with. The owning cache drops the key in this process as soon as the write commits;
/// on PostgreSQL the same transaction sends `pg_notify`, which reaches every instance's listener
/// when it commits. While that listener is not connected, caches serve nothing (every read goes
/// to the database): a notification missed then would otherwise leave a stale entry.
public final class CacheInvalidation: Sendable {
    public static let channel = "entativa_cache"

    private struct Registration: Sendable {
        let cache: any InvalidatableCache
        let onKey: @Sendable (String) -> Void
    }

    private struct State {
        var caches: [String: Registration] = [:]
        var live: Bool
    }

    private let state: Mutex<State>
    let engine: DatabaseEngine

    init(engine: DatabaseEngine) {
        self.engine = engine
        // One SQLite file has one process writing it, so local invalidation is all there is.
        state = Mutex(State(live: engine == .sqlite))
    }

    /// Whether caches may serve entries now.
    public var isLive: Bool { state.withLock { $0.live } }

    /// Routes changes announced for `name` to `onKey`; the name must be unique in the process.
    public func register(_ name: String, cache: any InvalidatableCache, onKey: @escaping @Sendable (String) -> Void) {
        precondition(!name.contains(":"), "cache names cannot contain ':'")
        state.withLock { state in
            precondition(state.caches[name] == nil, "cache \(name) registered twice")
            state.caches[name] = Registration(cache: cache, onKey: onKey)
        }
    }

    /// `register` for announcements that may name several keys joined by commas
    /// (`announceChanges(to:keys:)`): `remove` gets them parsed; a part `parse` cannot read
    /// empties `cache` instead.
    public func registerKeyLists<Key>(
        _ name: String, cache: any InvalidatableCache, key parse: @escaping @Sendable (Substring) -> Key?,
        remove: @escaping @Sendable ([Key]) -> Void
    ) {
        register(name, cache: cache) { text in
            var keys: [Key] = []
            for part in text.split(separator: ",") {
                guard let key = parse(part) else { return cache.removeAll() }
                keys.append(key)
            }
            remove(keys)
        }
    }

    func deliver(cache name: String, key: String) {
        state.withLock { $0.caches[name] }?.onKey(key)
    }

    /// A payload from the PostgreSQL channel: `<cache>:<key>`.
    func receive(payload: String) {
        guard let colon = payload.firstIndex(of: ":") else { return }
        deliver(cache: String(payload[..<colon]), key: String(payload[payload.index(after: colon)...]))
    }

    /// The listener connected (every cache is emptied first, as notifications may have been
    /// missed) or lost its connection (caches stop serving until it is back).
    func listenerChanged(live: Bool) {
        let caches = state.withLock { state in
            state.live = live
            return state.caches.values.map(\.cache)
        }
        for cache in caches { cache.removeAll() }
    }
}

/// Work to do once a transaction has ended: cache entries it may have changed are dropped then,
/// because a reader that ran before the commit could otherwise store the old value again.
final class AfterTransaction: Sendable {
    private let actions = Mutex<[@Sendable () -> Void]>([])

    func add(_ action: @escaping @Sendable () -> Void) { actions.withLock { $0.append(action) } }

    /// Also after a rollback: dropping an entry that did not change costs one database read.
    func run() {
        for action in actions.withLock({ actions in defer { actions = [] }; return actions }) { action() }
    }
}

/// Several caches emptied together, for a module whose one announcement name covers them all.
public struct CacheGroup: InvalidatableCache {
    let caches: [any InvalidatableCache]

    public init(_ caches: [any InvalidatableCache]) { self.caches = caches }

    public func removeAll() {
        for cache in caches { cache.removeAll() }
    }
}
