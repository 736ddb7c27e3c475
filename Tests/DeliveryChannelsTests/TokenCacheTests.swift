import Foundation
import Synchronization
import Testing

@testable import DeliveryChannels

@Suite("Provider token cache")
struct TokenCacheTests {
    final class Clock: Sendable {
        let seconds = Mutex<TimeInterval>(1_700_000_000)
        var now: Date { Date(timeIntervalSince1970: seconds.withLock { $0 }) }
        func advance(_ by: TimeInterval) { seconds.withLock { $0 += by } }
    }

    final class Counter: Sendable {
        private let count = Mutex(0)
        func next() -> Int {
            count.withLock {
                $0 += 1
                return $0
            }
        }
        var value: Int { count.withLock { $0 } }
    }

    @Test("reuses a token until its refresh time, then issues a new one")
    func reuse() async throws {
        // given
        let clock = Clock()
        let issued = Counter()
        let cache = TokenCache(now: { clock.now })
        let issue: @Sendable () async throws -> TokenCache.Issued = {
            let n = issued.next()
            return TokenCache.Issued(token: "t\(n)", refreshAt: clock.now.addingTimeInterval(APNsSender.tokenReuse))
        }
        // when / then
        #expect(try await cache.token(issue: issue) == "t1")
        clock.advance(39 * 60)
        #expect(try await cache.token(issue: issue) == "t1")
        clock.advance(60)
        #expect(try await cache.token(issue: issue) == "t2")
        await cache.invalidate("t1")
        #expect(try await cache.token(issue: issue) == "t2")
        await cache.invalidate("t2")
        #expect(try await cache.token(issue: issue) == "t3")
    }

    @Test("concurrent callers share one refresh")
    func singleFlight() async throws {
        let clock = Clock()
        let issued = Counter()
        let cache = TokenCache(now: { clock.now })
        let tokens = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await cache.token {
                        _ = issued.next()
                        try await Task.sleep(for: .milliseconds(50))
                        return TokenCache.Issued(token: "only", refreshAt: clock.now.addingTimeInterval(60))
                    }
                }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(tokens == ["only"])
        #expect(issued.value == 1)
    }
}
