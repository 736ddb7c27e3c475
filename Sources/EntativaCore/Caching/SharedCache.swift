import Foundation
import Synchronization

/// An in-process cache of values every request may share, kept true by `CacheInvalidation`.
///
/// A value loaded while an invalidation happened is returned but not stored: the load may have
/// read the database before the change committed. Entries also expire after `lifetime`, a
/// bound on staleness should a change ever be announced nowhere. Capacity is bounded; when full,
/// an arbitrary entry makes room.
///
/// One key is loaded once at a time: callers that miss while its load runs wait for it and take
/// its answer, so a popular entry dropped by an invalidation is read again once, not by every
/// request that wanted it meanwhile.
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

    /// A load of one key under way, and who waits for it. Only touched under `state`'s lock.
    @usableFromInline
    final class Flight: @unchecked Sendable {
        @usableFromInline var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        /// Each waiter's `followLimit`, cancelled when the load lands first.
        @usableFromInline var timers: [Task<Void, Never>] = []
        @usableFromInline var nextWaiter = 0
        @usableFromInline var finished = false
        /// The loader's answer, when it did not throw.
        @usableFromInline var answer: Value?? = nil

        @usableFromInline
        init() {}
    }

    @usableFromInline
    struct State: Sendable {
        @usableFromInline var entries: [Key: Entry] = [:]
        /// Bumped by every removal; a load stores its value only if this did not move meanwhile.
        @usableFromInline var generation: UInt64 = 0
        @usableFromInline var flights: [Key: Flight] = [:]

        @usableFromInline
        init() {}
    }

    @usableFromInline
    enum Step {
        case hit(Value)
        case lead(Flight, generation: UInt64)
        case follow(Flight)
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

    /// A cache registered under `name` whose announced keys are its own keys as text, one or
    /// several joined by commas (`announceChanges`): keys that `parse` reads drop their entries,
    /// anything else (`*`) empties the cache.
    public static func registered(
        _ name: String, invalidation: CacheInvalidation, capacity: Int, lifetime: Duration, key parse: @escaping @Sendable (String) -> Key?
    ) -> SharedCache {
        let cache = SharedCache(invalidation: invalidation, capacity: capacity, lifetime: lifetime)
        invalidation.registerKeyLists(name, cache: cache, key: { parse(String($0)) }) { cache.remove($0) }
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
        while true {
            let now = ContinuousClock.now
            let step = state.withLock { state -> Step in
                if let entry = state.entries[key] {
                    if now - entry.storedAt >= lifetime {
                        state.entries[key] = nil
                    } else if isFresh(entry.value) {
                        return .hit(entry.value)
                    }
                }
                if let flight = state.flights[key] { return .follow(flight) }
                let flight = Flight()
                state.flights[key] = flight
                return .lead(flight, generation: state.generation)
            }
            switch step {
            case .hit(let value):
                return value
            case .follow(let flight):
                await wait(for: flight)
                // The leader's answer, unless it failed, something changed while it loaded, or
                // it is stale by this caller's measure: then look again (and perhaps lead).
                let (finished, answer) = state.withLock { _ in (flight.finished, flight.answer) }
                // Waited too long: the leader may itself wait for something this caller holds
                // (a transaction's connection), so load without it rather than risk a cycle.
                guard finished else { return try await load() }
                if case .some(let answer) = answer, answer.map(isFresh) ?? true { return answer }
            case .lead(let flight, let generation):
                let loaded: Value?
                do {
                    loaded = try await load()
                } catch {
                    land(flight, key: key, answer: nil, generation: generation, at: now)
                    throw error
                }
                land(flight, key: key, answer: .some(loaded), generation: generation, at: now)
                return loaded
            }
        }
    }

    /// How long a caller waits for another's load of the same key before loading itself.
    @usableFromInline static var followLimit: Duration { .seconds(1) }

    /// Returns when `flight` lands or after `followLimit`, whichever comes first.
    @usableFromInline
    func wait(for flight: Flight) async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let ticket = state.withLock { _ -> Int? in
                guard !flight.finished else { return nil }
                flight.nextWaiter += 1
                flight.waiters[flight.nextWaiter] = waiter
                return flight.nextWaiter
            }
            guard let ticket else { return waiter.resume() }
            let timer = Task {
                try? await Task.sleep(for: Self.followLimit)
                self.state.withLock { _ in flight.waiters.removeValue(forKey: ticket) }?.resume()
            }
            let landed = state.withLock { _ -> Bool in
                if !flight.finished { flight.timers.append(timer) }
                return flight.finished
            }
            if landed { timer.cancel() }
        }
    }

    /// Ends a load: when nothing changed meanwhile, stores its value and hands its answer to
    /// those waiting (who may have come after a change and must not get what was read before
    /// it, so otherwise they load again); wakes them either way.
    @usableFromInline
    func land(_ flight: Flight, key: Key, answer: Value??, generation: UInt64, at now: ContinuousClock.Instant) {
        let (waiters, timers) = state.withLock { state -> ([CheckedContinuation<Void, Never>], [Task<Void, Never>]) in
            let unchanged = state.generation == generation
            if case .some(.some(let loaded)) = answer, unchanged {
                if state.entries[key] == nil, state.entries.count >= capacity, let victim = state.entries.keys.first {
                    state.entries[victim] = nil
                }
                state.entries[key] = Entry(value: loaded, storedAt: now)
            }
            flight.answer = unchanged ? answer : nil
            flight.finished = true
            state.flights[key] = nil
            defer { (flight.waiters, flight.timers) = ([:], []) }
            return (Array(flight.waiters.values), flight.timers)
        }
        for timer in timers { timer.cancel() }
        for waiter in waiters { waiter.resume() }
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
