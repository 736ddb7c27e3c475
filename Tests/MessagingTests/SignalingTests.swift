import Crypto
import EntativaCore
import EntativaKit
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@Suite("Messaging: call signalling, typing and TURN")
struct SignalingTests {
    func frame(_ type: String, _ payload: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: ["type": type, "payload": payload]), as: UTF8.self)
    }

    @Test("Offers, answers, candidates and typing pass between sockets unstored; blocked or oversized ones are refused")
    func relay() async throws {
        try await TestApp.run(testMode: .live) { app, api in
            let port = try #require(api.port)
            let ada = try await api.register("ada")
            let bob = try await api.register("bob")
            let adaSocket = TestSocket(port: port, query: "access_token=\(ada.accessToken)")
            let bobSocket = TestSocket(port: port, query: "access_token=\(bob.accessToken)")
            #expect(try await adaSocket.next()?.type == "ready")
            #expect(try await bobSocket.next()?.type == "ready")

            // Follow notifications may arrive at any time; only what is relayed is checked.
            let relayed: Set<String> = ["call.offer", "call.answer", "call.ice", "call.hangup", "typing", "error"]
            // A stranger cannot ring: calls and typing need the recipient's acceptance (a
            // connection, here following each other, or an accepted conversation).
            adaSocket.send(try frame("call.offer", ["to": bob.account.id.description, "call_id": "c0", "data": "v=0 offer"]))
            #expect(try await adaSocket.next()?.payload["code"]?.string == "rejected")
            for (me, other) in [(ada, bob), (bob, ada)] {
                #expect(try await api.post("/api/v1/accounts/\(other.account.id)/follow", token: me.accessToken).status == 200)
            }
            adaSocket.send(try frame("call.offer", ["to": bob.account.id.description, "call_id": "c1", "data": "v=0 offer"]))
            let offer = try #require(try await bobSocket.next(of: relayed))
            #expect(offer.type == "call.offer" && offer.payload["from"]?.string == ada.account.id.description)
            #expect(offer.payload["call_id"]?.string == "c1" && offer.payload["data"]?.string == "v=0 offer")
            bobSocket.send(try frame("call.answer", ["to": ada.account.id.description, "call_id": "c1", "data": "v=0 answer"]))
            #expect(try await adaSocket.next(of: relayed)?.payload["data"]?.string == "v=0 answer")
            for candidate in 0..<3 {
                adaSocket.send(try frame("call.ice", ["to": bob.account.id.description, "call_id": "c1", "data": "candidate \(candidate)"]))
            }
            #expect(try await bobSocket.collect(3, type: "call.ice").map { $0.payload["data"]?.string ?? "" } == ["candidate 0", "candidate 1", "candidate 2"])
            bobSocket.send(try frame("typing", ["to": ada.account.id.description, "typing": true]))
            let typing = try #require(try await adaSocket.next(of: relayed))
            #expect(typing.type == "typing" && typing.payload["typing"]?.bool == true)

            // Too big, malformed, or to someone who blocked me: refused, and nothing reaches them.
            adaSocket.send(try frame("call.offer", ["to": bob.account.id.description, "call_id": "c2", "data": String(repeating: "x", count: 5_001)]))
            #expect(try await adaSocket.next(of: relayed)?.payload["code"]?.string == "rejected")
            adaSocket.send(try frame("call.offer", ["to": bob.account.id.description, "call_id": ""]))
            #expect(try await adaSocket.next(of: relayed)?.payload["code"]?.string == "rejected")
            #expect(try await api.post("/api/v1/accounts/\(ada.account.id)/block", token: bob.accessToken).status == 200)
            adaSocket.send(try frame("call.hangup", ["to": bob.account.id.description, "call_id": "c1"]))
            #expect(try await adaSocket.next(of: relayed)?.payload["code"]?.string == "rejected")
            bobSocket.send(#"{"type":"ping","payload":{}}"#)
            #expect(try await bobSocket.next(of: ["pong"])?.type == "pong")

            let stored = try await app.kernel.database.sql.raw(
                "SELECT COUNT(*) AS n FROM realtime_events WHERE type LIKE 'call.%' OR type = 'typing'").first()?.decode(column: "n", as: Int.self)
            #expect(stored == 0)
            await adaSocket.close()
            await bobSocket.close()
        }
    }

    @Test("TURN credentials follow the TURN REST scheme when a secret is set, and are 404 without one")
    func turn() async throws {
        try await TestApp.run { _, api in
            let ada = try await api.register("ada")
            #expect(try await api.get("/api/v1/calls/turn", token: ada.accessToken).status == 404)
        }
        try await TestApp.run(configure: {
            $0.messaging.turnSecret = "a shared secret for coturn"
            $0.messaging.turnURIs = ["turn:127.0.0.1:3478"]
        }) { app, api in
            let ada = try await api.register("ada")
            #expect(try await api.get("/api/v1/calls/turn").status == 401)
            let credentials = try await api.get("/api/v1/calls/turn", token: ada.accessToken).decode(TurnCredentials.self)
            let expiry = app.clock.nowMillis() / 1_000 + 3_600
            #expect(credentials.username == "\(expiry):\(ada.account.id)" && credentials.ttl == 3_600 && credentials.uris == ["turn:127.0.0.1:3478"])
            let expected = HMAC<Insecure.SHA1>.authenticationCode(for: Data(credentials.username.utf8), using: SymmetricKey(data: Data("a shared secret for coturn".utf8)))
            #expect(credentials.password == Data(expected).base64EncodedString())
        }
    }
}
