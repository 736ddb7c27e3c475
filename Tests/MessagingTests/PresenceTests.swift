import EntativaCore
import EntativaKit
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

extension TestAPI {
    func presence(of ids: [AccountID], as member: Member) async throws -> [AccountPresence] {
        let query = ids.map { "id[]=\($0)" }.joined(separator: "&")
        let answer = try await get("/api/v1/presence?\(query)", token: member.tokens.accessToken)
        guard answer.status == 200 else { throw DeviceTestFailure(description: "presence: \(answer.status) \(answer.text)") }
        return try answer.decode(Page<AccountPresence>.self).items
    }

    /// Presence is recorded by a service beside the server; this waits until it shows `online`.
    func waitForPresence(of account: AccountID, as member: Member, online: Bool) async throws -> AccountPresence {
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            let seen = try await presence(of: [account], as: member)[0]
            if seen.online == online || ContinuousClock.now > deadline { return seen }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

@Suite("Messaging: presence and receipts")
struct PresenceTests {
    func frame(_ type: String, _ payload: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: ["type": type, "payload": payload]), as: UTF8.self)
    }

    @Test("Online and last seen follow the sockets, reach my partners as events, and show only as each setting allows")
    func presence() async throws {
        try await TestApp.run(testMode: .live) { app, api in
            let port = try #require(api.port)
            let ada = try await api.member("ada", devices: 1)
            let bob = try await api.member("bob", devices: 1)
            let eve = try await api.member("eve", devices: 1)
            let conversation = try #require(try await api.message("hi", from: ada, to: bob).conversationId)
            // Until Bob accepts, Ada is no contact of his: his presence is hidden from her.
            #expect(try await api.presence(of: [bob.id], as: ada) == [AccountPresence(accountId: bob.id, visible: false, online: nil, lastSeenAt: nil)])
            #expect(try await api.post("/api/v1/conversations/\(conversation)/accept", token: bob.tokens.accessToken).status == 200)
            #expect(try await api.presence(of: [bob.id], as: ada).first?.online == false)

            let adaSocket = TestSocket(port: port, query: "access_token=\(ada.tokens.accessToken)")
            #expect(try await adaSocket.next()?.type == "ready")
            let bobSocket = TestSocket(port: port, query: "access_token=\(bob.tokens.accessToken)")
            #expect(try await bobSocket.next()?.type == "ready")
            let online = try #require(try await adaSocket.next(of: ["presence"]))
            #expect(online.payload["account_id"]?.string == bob.id.description && online.payload["online"]?.bool == true)
            #expect(try await api.waitForPresence(of: bob.id, as: ada, online: true).online == true)
            await bobSocket.close()
            let away = try #require(try await adaSocket.next(of: ["presence"]))
            #expect(away.payload["online"]?.bool == false && away.payload["last_seen_at"]?.string != nil)
            let seen = try await api.waitForPresence(of: bob.id, as: ada, online: false)
            #expect(seen.online == false && seen.lastSeenAt != nil)

            // Eve is nobody to Bob: hidden, until Bob shows himself to everyone; "nobody" hides him from Ada too.
            #expect(try await api.presence(of: [bob.id], as: eve).first?.visible == false)
            let everyone = try await api.put("/api/v1/presence/settings", PresenceSettings(visibility: .everyone), token: bob.tokens.accessToken)
            #expect(try everyone.decode(PresenceSettings.self).visibility == .everyone)
            #expect(try await api.presence(of: [bob.id], as: eve).first?.visible == true)
            _ = try await api.put("/api/v1/presence/settings", PresenceSettings(visibility: .nobody), token: bob.tokens.accessToken)
            #expect(try await api.presence(of: [bob.id, ada.id], as: ada).map(\.visible) == [false, true])
            #expect(try await api.put("/api/v1/presence/settings", ["visibility": "friends"], token: bob.tokens.accessToken).status == 422)
            #expect(try await api.get("/api/v1/presence/settings", token: bob.tokens.accessToken).decode(PresenceSettings.self).visibility == .nobody)
            #expect(try await api.get("/api/v1/presence", token: ada.tokens.accessToken).status == 422)
            let tooMany = (1...101).map { "id[]=\($0)" }.joined(separator: "&")
            #expect(try await api.get("/api/v1/presence?\(tooMany)", token: ada.tokens.accessToken).status == 422)
            #expect(try await api.get("/api/v1/presence?id[]=\(bob.id)").status == 401)
            await adaSocket.close()
            _ = app
        }
    }

    @Test("Receipts pass only between accounts that accepted each other, and are stored nowhere")
    func receipts() async throws {
        try await TestApp.run(testMode: .live) { app, api in
            let port = try #require(api.port)
            let ada = try await api.member("ada", devices: 1)
            let bob = try await api.member("bob", devices: 1)
            let sent = try await api.message("hi", from: ada, to: bob)
            let envelope = try #require(sent.envelopes.first?.id)
            let adaSocket = TestSocket(port: port, query: "access_token=\(ada.tokens.accessToken)")
            let bobSocket = TestSocket(port: port, query: "access_token=\(bob.tokens.accessToken)")
            #expect(try await adaSocket.next(of: ["ready"])?.type == "ready")
            #expect(try await bobSocket.next(of: ["ready"])?.type == "ready")
            let receipt = try frame("receipt", ["to": ada.id.description, "kind": "read", "envelope_ids": [envelope.description]])
            // Bob has not accepted: even a read receipt would tell Ada something.
            bobSocket.send(receipt)
            #expect(try await bobSocket.next(of: ["error"])?.payload["code"]?.string == "rejected")
            let conversation = try #require(sent.conversationId)
            #expect(try await api.post("/api/v1/conversations/\(conversation)/accept", token: bob.tokens.accessToken).status == 200)
            bobSocket.send(receipt)
            let arrived = try #require(try await adaSocket.next(of: ["receipt"]))
            #expect(arrived.payload["from"]?.string == bob.id.description && arrived.payload["kind"]?.string == "read")
            bobSocket.send(try frame("receipt", ["to": ada.id.description, "kind": "read", "envelope_ids": [String]()]))
            #expect(try await bobSocket.next(of: ["error"])?.payload["code"]?.string == "rejected")
            let stored = try await app.kernel.database.sql.raw("SELECT COUNT(*) AS n FROM realtime_events WHERE type = 'receipt'").first()?
                .decode(column: "n", as: Int.self)
            #expect(stored == 0)
            await adaSocket.close()
            await bobSocket.close()
        }
    }
}
