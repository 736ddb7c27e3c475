import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@Suite("Realtime gateway")
struct RealtimeTests {
    struct Note: Codable, Sendable { var text: String }

    @Test("A signed-in socket gets its own events as {id, type, payload}, answers pings, and never sees another account's")
    func deliversTypedEvents() async throws {
        try await TestApp.run(testMode: .live) { app, api in
            let alice = try await api.register("alice")
            let bob = try await api.register("bob")
            let socket = TestSocket(port: try #require(api.port), query: "access_token=\(alice.accessToken)")
            let ready = try #require(try await socket.next())
            #expect(ready.type == "ready" && ready.id == nil)

            try await app.kernel.realtime.send("note", Note(text: "for bob"), to: [bob.account.id])
            let sent = try await app.kernel.realtime.send("note", Note(text: "hello"), to: [alice.account.id])
            let frame = try #require(try await socket.next())
            #expect(frame.type == "note" && frame.id == String(sent[0].id) && frame.payload["text"]?.string == "hello")

            socket.send(#"{"type":"ping","payload":{"n":1}}"#)
            let pong = try #require(try await socket.next())
            #expect(pong.type == "pong" && pong.payload["n"]?.int == 1)
            socket.send("not json")
            #expect(try await socket.next()?.payload["code"]?.string == "malformed")
            socket.send(#"{"type":"launch_rockets"}"#)
            #expect(try await socket.next()?.payload["code"]?.string == "unknown_type")
            await socket.close()
        }
    }

    @Test("Reconnecting with the last event ID replays what was missed, in order, without duplicates, within the window")
    func resumes() async throws {
        try await TestApp.run(testMode: .live) { app, api in
            let alice = try await api.register("alice")
            let port = try #require(api.port)
            let first = TestSocket(port: port, query: "access_token=\(alice.accessToken)")
            _ = try await first.next()
            try await app.kernel.realtime.send("note", Note(text: "0"), to: [alice.account.id])
            let seen = try #require(try await first.next()?.id)
            await first.close()

            for index in 1...3 { try await app.kernel.realtime.send("note", Note(text: "\(index)"), to: [alice.account.id]) }
            let second = TestSocket(port: port, query: "access_token=\(alice.accessToken)&last_event_id=\(seen)")
            var texts: [String] = []
            for _ in 1...3 { texts.append(try #require(try await second.next()).payload["text"]?.string ?? "?") }
            #expect(texts == ["1", "2", "3"])
            let ready = try #require(try await second.next())
            #expect(ready.type == "ready" && ready.payload["resumed"]?.int == 3 && ready.payload["complete"]?.bool == true)
            try await app.kernel.realtime.send("note", Note(text: "4"), to: [alice.account.id])
            #expect(try await second.next()?.payload["text"]?.string == "4")
            await second.close()

            // Past the window, a resume says it could not be complete.
            app.clock.advance(by: .seconds(6 * 60))
            try await app.kernel.realtime.send("note", Note(text: "5"), to: [alice.account.id])
            let late = TestSocket(port: port, query: "access_token=\(alice.accessToken)&last_event_id=\(seen)")
            #expect(try await late.next()?.payload["text"]?.string == "5")
            let lateReady = try #require(try await late.next())
            #expect(lateReady.type == "ready" && lateReady.payload["complete"]?.bool == false)
            await late.close()
        }
    }

    @Test("Without a valid token there is no socket; plain HTTP gets a problem")
    func refusesStrangers() async throws {
        try await TestApp.run(testMode: .live) { _, api in
            let alice = try await api.register("alice")
            let port = try #require(api.port)
            for query in ["", "access_token=nonsense", "access_token=\(alice.accessToken)&last_event_id=abc"] {
                let socket = TestSocket(port: port, query: query)
                #expect(try await socket.next() == nil)
            }
            #expect(try await api.get("/api/v1/streaming").status == 401)
            #expect(try await api.get("/api/v1/streaming?access_token=nonsense").status == 401)
            #expect(try await api.get("/api/v1/streaming", token: alice.accessToken).status == 426)
            #expect(try await api.get("/api/v1/streaming?last_event_id=x", token: alice.accessToken).status == 422)
        }
    }

    @Test("Signing out ends the session's open socket; another session's socket stays")
    func signOutClosesSocket() async throws {
        try await TestApp.run(testMode: .live, configure: { $0.limits.realtimeSessionCheck = .milliseconds(100) }) { app, api in
            let alice = try await api.register("alice")
            let other = try await api.post("/api/v1/auth/login", LoginRequest(login: "alice", password: TestAPI.defaultPassword)).decode(AuthTokens.self)
            let port = try #require(api.port)
            let doomed = TestSocket(port: port, query: "access_token=\(alice.accessToken)")
            let kept = TestSocket(port: port, query: "access_token=\(other.accessToken)")
            _ = try await doomed.next()
            _ = try await kept.next()
            #expect(try await api.post("/api/v1/auth/logout", token: alice.accessToken).status == 204)
            #expect(try await doomed.next(timeout: .seconds(15)) == nil)
            try await app.kernel.realtime.send("note", Note(text: "still here"), to: [alice.account.id])
            #expect(try await kept.next()?.payload["text"]?.string == "still here")
            await kept.close()
        }
    }

    @Test("A client that stops reading is cut off once its queue is full; others keep receiving")
    func slowClientsAreDisconnected() async throws {
        try await TestApp.run(testMode: .live, configure: { $0.limits.realtimeSendQueue = 8 }) { app, api in
            let alice = try await api.register("alice")
            let hub = app.kernel.realtime
            let port = try #require(api.port)
            let healthy = TestSocket(port: port, query: "access_token=\(alice.accessToken)")
            _ = try await healthy.next()
            // A real socket that completes the handshake and never reads again: once the kernel's
            // buffers are full the server's writes stall and the queue behind them fills up.
            let stalled = try StalledClient(port: port, path: "/api/v1/streaming?access_token=\(alice.accessToken)")
            defer { stalled.close() }
            for _ in 0..<100 where hub.connectionCount < 2 { try await Task.sleep(for: .milliseconds(20)) }
            #expect(hub.connectionCount == 2)
            let big = String(repeating: "x", count: 60_000)
            for index in 0..<300 {
                try await hub.send("note", Note(text: "\(index) \(big)"), to: [alice.account.id])
            }
            #expect(try await healthy.collect(300, type: "note", timeout: .seconds(30)).count == 300)
            for _ in 0..<250 where hub.connectionCount > 1 { try await Task.sleep(for: .milliseconds(20)) }
            #expect(hub.connectionCount == 1)
            await healthy.close()
        }
    }
}
