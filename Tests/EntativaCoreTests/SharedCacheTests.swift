@testable import EntativaCore
import Synchronization
import Testing

@Suite("Shared cache: one load per key at a time")
struct SharedCacheTests {
    /// A door loads wait behind until the test opens it.
    final class Door: Sendable {
        private let state = Mutex<(open: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

        func pass() async {
            await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
                let open = state.withLock { state -> Bool in
                    if !state.open { state.waiting.append(waiter) }
                    return state.open
                }
                if open { waiter.resume() }
            }
        }

        func open() {
            for waiter in state.withLock({ state in defer { state = (true, []) }; return state.waiting }) { waiter.resume() }
        }
    }

    final class Counter: Sendable {
        private let count = Atomic(0)
        func add() { count.add(1, ordering: .relaxed) }
        var value: Int { count.load(ordering: .relaxed) }
    }

    final class Box: Sendable {
        private let text = Mutex("old")
        var value: String {
            get { text.withLock { $0 } }
            set { text.withLock { $0 = newValue } }
        }
    }

    static func cache() -> SharedCache<Int, String> {
        SharedCache(invalidation: CacheInvalidation(engine: .sqlite), capacity: 10, lifetime: .seconds(60))
    }

    static func waiters(_ cache: SharedCache<Int, String>, _ key: Int) -> Int {
        cache.state.withLock { $0.flights[key]?.waiters.count ?? 0 }
    }

    static func until(_ condition: () -> Bool) async throws {
        for _ in 0..<500 where !condition() { try await Task.sleep(for: .milliseconds(2)) }
        #expect(condition())
    }

    @Test("Callers that miss while a key loads wait for that load and share its answer")
    func concurrentMissesLoadOnce() async throws {
        let cache = Self.cache()
        let loads = Counter()
        let door = Door()
        try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await cache.value(for: 1) {
                        loads.add()
                        await door.pass()
                        return "loaded"
                    }
                }
            }
            try await Self.until { Self.waiters(cache, 1) == 19 }
            door.open()
            for try await answer in group { #expect(answer == "loaded") }
        }
        #expect(loads.value == 1)
        #expect(try await cache.value(for: 1) { "again" } == "loaded")
    }

    @Test("When the load fails, those waiting load for themselves")
    func failedLoadIsNotShared() async throws {
        struct Failure: Error {}
        let cache = Self.cache()
        let door = Door()
        let leader = Task {
            try await cache.value(for: 1) {
                await door.pass()
                throw Failure()
            }
        }
        try await Self.until { cache.state.withLock { $0.flights[1] != nil } }
        let follower = Task { try await cache.value(for: 1) { "own" } }
        try await Self.until { Self.waiters(cache, 1) == 1 }
        door.open()
        await #expect(throws: Failure.self) { try await leader.value }
        #expect(try await follower.value == "own")
    }

    @Test("A caller that came after an invalidation never gets what a load read before it")
    func noStaleAnswerAfterInvalidation() async throws {
        let cache = Self.cache()
        let door = Door()
        let stored = Box()
        let loads = Counter()
        let load: @Sendable () async throws -> String? = {
            loads.add()
            let read = stored.value
            if read == "old" { await door.pass() }
            return read
        }
        let leader = Task { try await cache.value(for: 1, load: load) }
        try await Self.until { loads.value == 1 }
        // The change commits and is announced while the first load is under way.
        stored.value = "new"
        cache.remove(1)
        let follower = Task { try await cache.value(for: 1, load: load) }
        try await Self.until { Self.waiters(cache, 1) == 1 }
        door.open()
        #expect(try await leader.value == "old")
        #expect(try await follower.value == "new")
        #expect(try await cache.value(for: 1) { "unused" } == "new")
    }

    @Test("A caller waits a bounded time for another's load, then loads for itself (no cycle can hang it)")
    func boundedWait() async throws {
        let cache = Self.cache()
        let door = Door()
        let leader = Task { try await cache.value(for: 1) { await door.pass(); return "late" } }
        try await Self.until { cache.state.withLock { $0.flights[1] != nil } }
        let started = ContinuousClock.now
        #expect(try await cache.value(for: 1) { "own" } == "own")
        #expect(ContinuousClock.now - started >= SharedCache<Int, String>.followLimit)
        door.open()
        #expect(try await leader.value == "late")
    }
}
