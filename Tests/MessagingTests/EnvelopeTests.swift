import EntativaCore
import EntativaKit
import EntativaModels
import EntativaTestSupport
import Foundation
import HTTPTypes
import Messaging
import SQLKit
import Testing

/// An account with registered devices, for sending as one of them.
struct Member {
    var tokens: AuthTokens
    var devices: [RegisteredDevice]
    var keys: [DeviceKeys]

    var id: AccountID { tokens.account.id }

    func headers(_ device: Int) -> HTTPFields {
        let secret = devices.first { $0.device.id == device }?.deviceSecret ?? ""
        return [HTTPField.Name("X-Device-ID")!: String(device), HTTPField.Name("X-Device-Secret")!: secret]
    }

    func envelope(_ device: Int, _ text: String) -> OutgoingEnvelope {
        let registration = devices.first { $0.device.id == device }?.device.registrationId ?? 0
        return OutgoingEnvelope(accountId: id, deviceId: device, registrationId: registration, type: .message, content: Data(text.utf8).base64EncodedString())
    }
}

extension TestAPI {
    /// An account with `devices` active devices (the first approves the others).
    func member(_ name: String, devices: Int) async throws -> Member {
        let tokens = try await register(name)
        var member = Member(tokens: tokens, devices: [], keys: [])
        for index in 0..<devices {
            let keys = try DeviceKeys.generate(oneTimePreKeys: 2)
            let registered = try await registerDevice("\(name) device \(index + 1)", keys: keys, token: tokens.accessToken)
            if index > 0 {
                let approval = member.keys[0].approval(of: registered.device, account: tokens.account.id, approverDeviceId: 1)
                let approved = try await post("/api/v1/devices/\(registered.device.id)/approve", approval, token: tokens.accessToken)
                guard approved.status == 200 else { throw DeviceTestFailure(description: "approve: \(approved.text)") }
            }
            member.devices.append(registered)
            member.keys.append(keys)
        }
        return member
    }

    func send(_ form: SendMessageRequest, from member: Member, device: Int, key: String? = nil) async throws -> TestResponse {
        var headers = member.headers(device)
        if let key { headers[.idempotencyKey] = key }
        return try await post("/api/v1/messages", form, token: member.tokens.accessToken, headers: headers)
    }

    /// Every page of the device's waiting envelopes, as a device back online reads them.
    func allWaiting(_ member: Member, device: Int) async throws -> [Envelope] {
        var seen: [Envelope] = []
        var cursor: String?
        repeat {
            let page = try await waiting(member, device: device, cursor: cursor)
            seen += page.items
            cursor = page.nextCursor
        } while cursor != nil
        return seen
    }

    func waiting(_ member: Member, device: Int, cursor: String? = nil) async throws -> Page<Envelope> {
        let query = cursor.map { "?cursor=\($0)&limit=3" } ?? "?limit=3"
        let answer = try await request(.get, "/api/v1/messages\(query)", token: member.tokens.accessToken, headers: member.headers(device))
        guard answer.status == 200 else { throw DeviceTestFailure(description: "waiting: \(answer.status) \(answer.text)") }
        return try answer.decode(Page<Envelope>.self)
    }
}

@Suite("Messaging: envelopes")
struct EnvelopeTests {
    @Test("A send addresses every device of the recipient and my other ones, or nothing is stored and 409 says which")
    func addressing() async throws {
        try await TestApp.run { app, api in
            let ada = try await api.member("ada", devices: 2)
            let bob = try await api.member("bob", devices: 1)
            let missing = try await api.send(SendMessageRequest(recipientId: bob.id, envelopes: [bob.envelope(1, "hi")]), from: ada, device: 1)
            #expect(missing.status == 409 && missing.fieldErrors == ["devices.\(ada.id).2"])
            var stale = ada.envelope(2, "hi")
            stale.registrationId = stale.registrationId % 16_000 + 1
            var extra = bob.envelope(1, "hi")
            extra.deviceId = 3
            let wrong = try await api.send(
                SendMessageRequest(recipientId: bob.id, envelopes: [stale, extra, ada.envelope(1, "to myself"), bob.envelope(1, "a"), bob.envelope(1, "b")]),
                from: ada, device: 1)
            #expect(wrong.status == 409)
            let problem = try wrong.decode(Problem.self)
            #expect(Set((problem.errors ?? []).map { "\($0.field) \($0.code)" }) == [
                "devices.\(ada.id).2 stale", "devices.\(bob.id).3 extra", "devices.\(ada.id).1 extra", "devices.\(bob.id).1 duplicate",
            ])
            let stored = try await app.kernel.database.sql.raw("SELECT COUNT(*) AS n FROM messaging_envelopes").first()?.decode(column: "n", as: Int.self)
            #expect(stored == 0)

            let empty = try await api.send(SendMessageRequest(recipientId: bob.id, envelopes: []), from: ada, device: 1)
            #expect(empty.fieldErrors == ["envelopes"])
            var big = bob.envelope(1, "")
            big.content = "!!!!"
            #expect(try await api.send(SendMessageRequest(recipientId: bob.id, envelopes: [big]), from: ada, device: 1).fieldErrors == ["envelopes.0.content"])
        }
    }

    @Test("Every device gets its envelopes in order, pages through what it missed offline, and acknowledging deletes them")
    func relay() async throws {
        try await TestApp.run { app, api in
            let ada = try await api.member("ada", devices: 2)
            let bob = try await api.member("bob", devices: 1)
            var sent: [EnvelopeID] = []
            for index in 0..<7 {
                let form = SendMessageRequest(recipientId: bob.id, envelopes: [bob.envelope(1, "m\(index)"), ada.envelope(2, "copy \(index)")])
                let answer = try await api.send(form, from: ada, device: 1)
                #expect(answer.status == 201)
                sent.append(try #require(try answer.decode(SentMessage.self).envelopes.first { $0.accountId == bob.id }?.id))
            }
            // Bob's phone was offline: it pages through everything, oldest first.
            let seen = try await api.allWaiting(bob, device: 1)
            #expect(seen.map(\.id) == sent)
            #expect(seen.map { String(decoding: Data(base64Encoded: $0.content) ?? Data(), as: UTF8.self) } == (0..<7).map { "m\($0)" })
            #expect(seen.allSatisfy { $0.senderId == ada.id && $0.senderDeviceId == 1 && $0.type == .message })
            // Ada's laptop has its own copies; her phone has none.
            #expect(try await api.waiting(ada, device: 2).items.count == 3)
            #expect(try await api.waiting(ada, device: 1).items.isEmpty)

            // Another account or a wrong secret learns nothing.
            var wrong = bob.headers(1)
            wrong[HTTPField.Name("X-Device-Secret")!] = "nope"
            #expect(try await api.request(.get, "/api/v1/messages", token: bob.tokens.accessToken, headers: wrong).status == 404)
            #expect(try await api.request(.get, "/api/v1/messages", token: ada.tokens.accessToken, headers: bob.headers(1)).status == 404)
            #expect(try await api.request(.get, "/api/v1/messages", token: bob.tokens.accessToken).status == 404)

            let ack = "/api/v1/messages/acknowledge"
            // Ada's laptop acknowledging Bob's IDs deletes nothing of Bob's.
            #expect(try await api.post(ack, AcknowledgeEnvelopesRequest(ids: sent), token: ada.tokens.accessToken, headers: ada.headers(2)).status == 204)
            #expect(try await api.post(ack, AcknowledgeEnvelopesRequest(ids: Array(sent.prefix(5))), token: bob.tokens.accessToken, headers: bob.headers(1)).status == 204)
            #expect(try await api.waiting(bob, device: 1).items.map(\.id) == Array(sent.suffix(2)))
            #expect(try await api.post(ack, AcknowledgeEnvelopesRequest(ids: []), token: bob.tokens.accessToken, headers: bob.headers(1)).fieldErrors == ["ids"])

            // Unacknowledged envelopes expire after 30 days.
            app.clock.advance(by: .seconds(30 * 24 * 3_600 + 1))
            var later = bob
            later.tokens = try await api.login(username: "bob")  // the old access token has long expired
            #expect(try await api.waiting(later, device: 1).items.isEmpty)
            #expect(try await Envelopes(env: app.runtime.messaging.env).deleteExpired() == 2 + 7)
        }
    }

    @Test("Sends that arrive while a commit is under way are stored together, each once and in ID order; a wrongly addressed one alone gets its 409")
    func groupCommit() async throws {
        try await TestApp.run { app, api in
            let ada = try await api.member("ada", devices: 1)
            let bob = try await api.member("bob", devices: 1)
            // The first message makes the conversation and marks Ada's day; later ones only touch it.
            let first = try await api.send(SendMessageRequest(recipientId: bob.id, envelopes: [bob.envelope(1, "first")]), from: ada, device: 1)
            let conversation = try #require(try first.decode(SentMessage.self).conversationId)
            let before = app.runtime.messaging.env.sendBatching
            // While a transaction holds the writer (and, on PostgreSQL, the conversation's row),
            // the sends queue behind the first one's commit.
            let database = app.kernel.database
            let hold = Task {
                try await database.transaction { db in
                    _ = try await db.raw("""
                        SELECT id FROM messaging_conversations WHERE id = \(bind: conversation.rawValue)\(unsafeRaw: database.forUpdate)
                        """).all()
                    try await Task.sleep(for: .milliseconds(600))
                }
            }
            try await Task.sleep(for: .milliseconds(100))
            let sends = 24
            let statuses = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for index in 0..<sends {
                    group.addTask {
                        var envelope = bob.envelope(1, "m\(index)")
                        if index % 6 == 5 { envelope.registrationId = envelope.registrationId % 16_000 + 1 }
                        return (index, try await api.send(SendMessageRequest(recipientId: bob.id, envelopes: [envelope]), from: ada, device: 1).status)
                    }
                }
                return try await group.reduce(into: [Int: Int]()) { $0[$1.0] = $1.1 }
            }
            try await hold.value
            let refused = Set((0..<sends).filter { $0 % 6 == 5 })
            #expect(statuses.filter { refused.contains($0.key) }.allSatisfy { $0.value == 409 })
            #expect(statuses.filter { !refused.contains($0.key) }.allSatisfy { $0.value == 201 })
            let after = app.runtime.messaging.env.sendBatching
            #expect(after.sends - before.sends == sends)
            #expect(after.commits - before.commits < sends, "\(after.commits - before.commits) commits for \(sends) sends")

            let seen = try await api.allWaiting(bob, device: 1)
            let texts = seen.map { String(decoding: Data(base64Encoded: $0.content) ?? Data(), as: UTF8.self) }
            #expect(texts.first == "first")
            #expect(Set(texts.dropFirst()) == Set((0..<sends).filter { !refused.contains($0) }.map { "m\($0)" }))
            #expect(texts.count == 1 + sends - refused.count)
            #expect(seen.map(\.id.rawValue) == seen.map(\.id.rawValue).sorted())
            #expect(seen.allSatisfy { $0.conversationId == conversation })
        }
    }

    @Test("A retried send with its Idempotency-Key stores once; pending devices, blocks and deleted recipients are refused")
    func refusals() async throws {
        try await TestApp.run { app, api in
            let ada = try await api.member("ada", devices: 1)
            let bob = try await api.member("bob", devices: 1)
            let form = SendMessageRequest(recipientId: bob.id, envelopes: [bob.envelope(1, "once")])
            let first = try await api.send(form, from: ada, device: 1, key: "send-1")
            let again = try await api.send(form, from: ada, device: 1, key: "send-1")
            #expect(first.status == 201 && again.status == 201 && first.text == again.text)
            #expect(try await api.waiting(bob, device: 1).items.count == 1)

            // A pending device of Ada's cannot send, and must not be addressed yet.
            let pending = try await api.registerDevice("pending", keys: try DeviceKeys.generate(oneTimePreKeys: 0), token: ada.tokens.accessToken)
            var withPending = ada
            withPending.devices.append(pending)
            #expect(try await api.send(form, from: withPending, device: pending.device.id).status == 403)
            #expect(try await api.send(form, from: ada, device: 1).status == 201)

            #expect(try await api.post("/api/v1/accounts/\(ada.id)/block", token: bob.tokens.accessToken).status == 200)
            #expect(try await api.send(form, from: ada, device: 1).status == 404)
            #expect(try await api.delete("/api/v1/accounts/\(ada.id)/block", token: bob.tokens.accessToken).status == 200)
            #expect(try await api.send(form, from: ada, device: 1).status == 201)

            #expect(try await api.delete("/api/v1/accounts/me", DeleteAccountRequest(password: TestAPI.defaultPassword), token: bob.tokens.accessToken).status == 202)
            #expect(try await api.send(form, from: ada, device: 1).status == 404)
            try await app.runJobs()
            let left = try await app.kernel.database.sql.raw(
                "SELECT COUNT(*) AS n FROM messaging_envelopes WHERE account_id = \(bind: bob.id.rawValue)").first()?.decode(column: "n", as: Int.self)
            #expect(left == 0)
        }
    }

    @Test("An envelope reaches its device's realtime socket as it is stored, through the SDK on a live server")
    func realtime() async throws {
        try await TestApp.run(testMode: .live) { _, api in
            let port = try #require(api.port)
            let ada = try await api.member("ada", devices: 1)
            let bob = try await api.member("bob", devices: 1)
            let socket = TestSocket(port: port, query: "access_token=\(bob.tokens.accessToken)")
            #expect(try await socket.next()?.type == "ready")
            let client = EntativaClient(baseURL: URL(string: "http://127.0.0.1:\(port)")!)
            _ = try await client.logIn("ada", password: TestAPI.defaultPassword)
            let sent = try await client.sendMessage(
                SendMessageRequest(recipientId: bob.id, envelopes: [bob.envelope(1, "live")]), from: 1, secret: ada.devices[0].deviceSecret)
            let frame = try #require(try await socket.next())
            #expect(frame.type == EnvelopeArrived.type)
            #expect(frame.payload["device_id"]?.int == 1 && frame.payload["id"]?.string == sent.envelopes[0].id.description)
            let inline = try #require(frame.payload["envelope"]?.object)
            #expect(inline["content"] as? String == Data("live".utf8).base64EncodedString())
            await socket.close()

            let bobClient = EntativaClient(baseURL: URL(string: "http://127.0.0.1:\(port)")!)
            _ = try await bobClient.logIn("bob", password: TestAPI.defaultPassword)
            let waiting = try await bobClient.envelopes(for: 1, secret: bob.devices[0].deviceSecret)
            #expect(waiting.items.map(\.id) == sent.envelopes.map(\.id))
            try await bobClient.acknowledgeEnvelopes(waiting.items.map(\.id), for: 1, secret: bob.devices[0].deviceSecret)
            #expect(try await bobClient.envelopes(for: 1, secret: bob.devices[0].deviceSecret).items.isEmpty)
        }
    }
}
