import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@Suite("Streaming limits")
struct StreamingLimitTests {
    @Test("One account holds at most the configured number of sockets: a new one closes the oldest with 4008")
    func socketsPerAccount() async throws {
        try await TestApp.run(testMode: .live, configure: { $0.limits.socketsPerAccount = 3 }) { app, api in
            let alice = try await api.register("alice")
            let bob = try await api.register("bob")
            let port = try #require(api.port)
            var sockets: [TestSocket] = []
            for _ in 0..<3 {
                let socket = TestSocket(port: port, query: "access_token=\(alice.accessToken)")
                #expect(try await socket.next()?.type == "ready")
                sockets.append(socket)
            }
            let bobs = TestSocket(port: port, query: "access_token=\(bob.accessToken)")
            #expect(try await bobs.next()?.type == "ready")
            #expect(app.kernel.realtime.connectionCount == 4)

            let fourth = TestSocket(port: port, query: "access_token=\(alice.accessToken)")
            #expect(try await fourth.next()?.type == "ready")
            #expect(try await sockets[0].next(timeout: .seconds(15)) == nil)
            #expect(sockets[0].closeCode == 4008)
            #expect(app.kernel.realtime.connectionCount == 4, "three of Alice's and Bob's one")
            for socket in sockets.dropFirst() + [fourth, bobs] { await socket.close() }
        }
    }

    @Test("A refused upgrade answers a problem document with the real status: 401, 422, 429 with Retry-After")
    func refusedUpgradesExplainThemselves() async throws {
        try await TestApp.run(testMode: .live, configure: { $0.limits.requestBurst = 3; $0.limits.requestsPerSecond = 0.001 }) { _, api in
            let alice = try await api.register("alice")
            let port = try #require(api.port)

            let anonymous = try await RawConnection.upgrade(port: port, path: "/api/v1/streaming")
            #expect(anonymous.status == 401)
            #expect(anonymous.header("content-type") == "application/problem+json")
            #expect(anonymous.body.contains("\"status\":401"))

            let forged = try await RawConnection.upgrade(port: port, path: "/api/v1/streaming?access_token=nonsense")
            #expect(forged.status == 401)

            let badResume = try await RawConnection.upgrade(port: port, path: "/api/v1/streaming?last_event_id=-1", headers: ["Authorization: Bearer \(alice.accessToken)"])
            #expect(badResume.status == 422)
            #expect(badResume.body.contains("last_event_id"))

            // The session's budget (3) is shared with plain requests; upgrades draw on it too.
            var statuses: [Int] = []
            for _ in 0..<4 {
                statuses.append(try await RawConnection.upgrade(port: port, path: "/api/v1/streaming", headers: ["Authorization: Bearer \(alice.accessToken)"]).status)
            }
            #expect(statuses.contains(429))
            let limited = try await RawConnection.upgrade(port: port, path: "/api/v1/streaming", headers: ["Authorization: Bearer \(alice.accessToken)"])
            #expect(limited.status == 429)
            #expect(Int(limited.header("retry-after") ?? "") ?? 0 >= 1)
        }
    }
}
