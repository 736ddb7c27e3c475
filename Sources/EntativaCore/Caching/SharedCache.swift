import Foundation
import Synchronization

/// An in-process cache of values every request may share, kept true by `CacheInvalidation`.
///
/// A value loaded while an invalidation happened is returned but not stored: the load may have
/// read the database before the change committed. Entries also expire after `lifetime`, a
/// bound on staleness should a change ever be announced nowhere. Capacity is bounded; when full,
/// an arbitrary entry makes room.
///
/// The look-ups are `@inlinable` so that each caller's module specialises them for its key and
/// value types: unspecialised, the dictionary operations looked up generic metadata at run time,
/// which was a tenth of a page of posts.
public final class SharedCache<Key: Hashable & Sendable, Value: Sendable>: InvalidatableCache {
    @usableFromInline
    struct Entry: Sendable {
        @usableFromInline var value: Value
        @usableFromInline var storedAt: ContinuousClock.Instant

        @usableFromInline
        init(value: Value, storedAt: ContinuousClock.Instant) {
            self.value = value
            self.storedAt = storedAt
        }
    }

    @usableFromInline
    struct State: Sendable {
        @usableFromInline var entries: [Key: Entry] = [:]
        /// Bumped by every removal; a load stores its value only if this did not move meanwhile.
        @usableFromInline var generation: UInt64 = 0

        @usableFromInline
        init() {}
    }

    @usableFromInline let state = Mutex(State())
    @usableFromInline let invalidation: CacheInvalidation
    @usableFromInline let capacity: Int
    @usableFromInline let lifetime: Duration

    /// A capacity or lifetime of zero turns the cache off: every `value` call loads.
    public init(invalidation: CacheInvalidation, capacity: Int, lifetime: Duration) {
        self.invalidation = invalidation
        self.capacity = max(0, capacity)
        self.lifetime = lifetime
    }

    /// A cache registered under `name` whose announced keys are its own keys as text: a key that
    /// `parse` reads drops that entry, anything else (`*`) empties the cache.
    public static func registered(
        _ name: String, invalidation: CacheInvalidation, capacity: Int, lifetime: Duration, key parse: @escaping @Sendable (String) -> Key?
    ) -> SharedCache {
        let cache = SharedCache(invalidation: invalidation, capacity: capacity, lifetime: lifetime)
        invalidation.register(name, cache: cache) { text in
            guard let key = parse(text) else { return cache.removeAll() }
            cache.remove(key)
        }
        return cache
    }

    /// `registered` for a cache whose announcements may name several keys joined by commas
    /// (`announceChanges(to:keys:)`); a part that `parse` cannot read empties the cache.
    public static func registeredForLists(
        _ name: String, invalidation: CacheInvalidation, capacity: Int, lifetime: Duration, key parse: @escaping @Sendable (Substring) -> Key?
    ) -> SharedCache {
        let cache = SharedCache(invalidation: invalidation, capacity: capacity, lifetime: lifetime)
        invalidation.registerKeyLists(name, cache: cache, key: parse) { cache.remove($0) }
        return cache
    }

    /// The cached value, or what `load` returns (stored when not nil and nothing changed meanwhile).
    @inlinable
    public func value(for key: Key, load: () async throws -> Value?) async throws -> Value? {
        try await value(for: key, isFresh: { _ in true }, load: load)
    }

    /// `value(for:load:)` for values that may also go stale by the caller's own measure (a
    /// window of time that moved past what the value covers): a stored value `isFresh` rejects
    /// is loaded again and replaced.
    @inlinable
    public func value(for key: Key, isFresh: (Value) -> Bool, load: () async throws -> Value?) async throws -> Value? {
        let enabled = capacity > 0 && lifetime > .zero && invalidation.isLive
        if !enabled { return try await load() }
        let now = ContinuousClock.now
        let (hit, generation) = state.withLock { state -> (Value?, UInt64) in
            guard let entry = state.entries[key] else { return (nil, state.generation) }
            if now - entry.storedAt < lifetime { return (entry.value, state.generation) }
            state.entries[key] = nil
            return (nil, state.generation)
        }
        if let hit, isFresh(hit) { return hit }
        guard let loaded = try await load() else { return nil }
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.entries[key] == nil, state.entries.count >= capacity, let victim = state.entries.keys.first {
                state.entries[victim] = nil
            }
            state.entries[key] = Entry(value: loaded, storedAt: now)
        }
        return loaded
    }

    /// The cached values of `keys`, the others from one call to `load` (stored when nothing
    /// changed meanwhile). Keys `load` does not answer are absent from the result.
    @inlinable
    public func values(for keys: [Key], load: ([Key]) async throws -> [Key: Value]) async throws -> [Key: Value] {
        guard !keys.isEmpty else { return [:] }
        let enabled = capacity > 0 && lifetime > .zero && invalidation.isLive
        if !enabled { return try await load(keys) }
        let now = ContinuousClock.now
        let (hits, missing, generation) = state.withLock { state -> ([Key: Value], [Key], UInt64) in
            var hits: [Key: Value] = Dictionary(minimumCapacity: keys.count)
            var missing: [Key] = []
            for key in keys {
                if let entry = state.entries[key] {
                    if now - entry.storedAt < lifetime {
                        hits[key] = entry.value
                        continue
                    }
                    state.entries[key] = nil
                }
                missing.append(key)
            }
            return (hits, missing, state.generation)
        }
        if missing.isEmpty { return hits }
        let loaded = try await load(Array(Set(missing)))
        state.withLock { state in
            guard state.generation == generation else { return }
            for (key, value) in loaded {
                if state.entries[key] == nil, state.entries.count >= capacity, let victim = state.entries.keys.first {
                    state.entries[victim] = nil
                }
                state.entries[key] = Entry(value: value, storedAt: now)
            }
        }
        return hits.merging(loaded) { cached, _ in cached }
    }

    /// `values(for:load:)` for facts where no row is itself an answer (a count of zero, no
    /// reaction): keys `load` leaves out are `absent`, and stored so they are not asked again.
    @inlinable
    public func values(for keys: [Key], absent: Value, load: ([Key]) async throws -> [Key: Value]) async throws -> [Key: Value] {
        try await values(for: keys) { missing in
            var loaded = try await load(missing)
            for key in missing where loaded[key] == nil { loaded[key] = absent }
            return loaded
        }
    }

    public func remove(_ key: Key) {
        state.withLock { state in
            state.generation &+= 1
            state.entries[key] = nil
        }
    }

    public func remove(_ keys: [Key]) {
        state.withLock { state in
            state.generation &+= 1
            for key in keys { state.entries[key] = nil }
        }
    }

    public func remove(where matches: (Key, Value) -> Bool) {
        state.withLock { state in
            state.generation &+= 1
            state.entries = state.entries.filter { !matches($0.key, $0.value.value) }
        }
    }

    public func removeAll() {
        state.withLock { state in
            state.generation &+= 1
            state.entries.removeAll()
        }
    }

    public var count: Int { state.withLock { $0.entries.count } }
}
