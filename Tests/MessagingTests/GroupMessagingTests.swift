import EntativaCore
import EntativaKit
import EntativaModels
import EntativaTestSupport
import Foundation
import Messaging
import Testing

@Suite("Messaging: groups with Sender Keys through the server")
struct GroupMessagingTests {
    let secure = SecureMessagingTests()

    func count(_ table: String, in app: TestApp) async throws -> Int {
        try await app.kernel.database.sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()?.decode(column: "n", as: Int.self) ?? -1
    }

    @Test("One payload per message reaches every member device in order; a leaver gets a new chain's nothing; the database holds no plaintext")
    func senderKeys() async throws {
        try await TestApp.run(testMode: .live) { app, api in
            let port = try #require(api.port)
            let (ada, adaID) = try await secure.client(port, "ada")
            let (bob, bobID) = try await secure.client(port, "bob")
            let (cal, calID) = try await secure.client(port, "cal")
            let (dan, _) = try await secure.client(port, "dan")
            let adaPhone = try await SecureMessenger.register(client: ada, account: adaID, name: "phone", oneTimePreKeys: 10)
            let adaLaptop = try await secure.link(ada, account: adaID, name: "laptop", approver: adaPhone)
            let bobPhone = try await SecureMessenger.register(client: bob, account: bobID, name: "phone", oneTimePreKeys: 10)
            let calPhone = try await SecureMessenger.register(client: cal, account: calID, name: "phone", oneTimePreKeys: 10)
            let danPhone = try await SecureMessenger.register(client: dan, account: AccountID(rawValue: 0), name: "phone", oneTimePreKeys: 10)

            let group = try await ada.createConversation(CreateConversationRequest(kind: .group, memberIds: [bobID, calID])).id
            _ = try await bob.acceptConversation(group)
            // Cal has not accepted: the group's messages still reach her, as a request.
            let marker = UUID().uuidString.prefix(8)
            let texts = (1...3).map { "group \(marker) number \($0)" }
            for text in texts { try await adaPhone.send(text, toGroup: group) }
            // Three messages, three payloads: one copy each, however many devices.
            #expect(try await count("messaging_payloads", in: app) == 3)

            for reader in [bobPhone, calPhone] {
                let read = try await reader.receive()
                #expect(read.map(\.text) == texts && read.allSatisfy { $0.group == group && $0.sender == adaID })
            }
            #expect(try await adaLaptop.receive().map(\.text) == texts)

            // Bob answers: his first send learns the group's devices from the server's 409.
            try await bobPhone.send("bob \(marker) here", toGroup: group)
            #expect(try await adaPhone.receive().map(\.text) == ["bob \(marker) here"])
            #expect(try await adaLaptop.receive().map(\.text) == ["bob \(marker) here"])
            #expect(try await calPhone.receive().map(\.text) == ["bob \(marker) here"])

            // Cal may not write before accepting; Dan, not a member, learns nothing of the group.
            await #expect(throws: EntativaError.self) { try await calPhone.send("too early", toGroup: group) }
            do {
                _ = try await dan.sendGroupMessage(GroupMessageRequest(payload: "AAAA", devices: []), to: group, from: 1, secret: await danPhone.state.deviceSecret)
                Issue.record("a non-member sent to the group")
            } catch EntativaError.problem(let problem) {
                #expect(problem.status == 404)
            }

            // Cal leaves: Ada's next send is refused for Cal's device, makes a new chain, and
            // Cal's phone, which knew the old one, gets nothing.
            try await ada.removeConversationMember(group, calID)
            try await adaPhone.send("after \(marker) cal left", toGroup: group)
            #expect(try await calPhone.receive().isEmpty)
            #expect(try await bobPhone.receive().map(\.text) == ["after \(marker) cal left"])
            #expect(try await adaLaptop.receive().map(\.text) == ["after \(marker) cal left"])

            // Chains survive a save and a restore on both ends.
            let saved = try JSONEncoder().encode(await bobPhone.state)
            let restoredBob = SecureMessenger(client: bob, state: try JSONDecoder().decode(SecureMessenger.State.self, from: saved))
            try await adaPhone.send("restored \(marker)", toGroup: group)
            #expect(try await restoredBob.receive().map(\.text) == ["restored \(marker)"])

            // Acknowledged everywhere, the payloads go with the next sweep.
            _ = try await adaLaptop.receive()
            _ = try await Envelopes(env: app.runtime.messaging.env).deleteExpired()
            #expect(try await count("messaging_payloads", in: app) == 0)
            #expect(try await DataInvariants.textContaining(String(marker), in: app.kernel.database) == [])
        }
    }

    @Test("A group send's addressing is checked: missing, stale and extra devices are 409, bad fields 422, a direct conversation 409")
    func addressing() async throws {
        try await TestApp.run { app, api in
            let ada = try await api.member("ada", devices: 2)
            let bob = try await api.member("bob", devices: 1)
            let created = try await api.post(
                "/api/v1/conversations", CreateConversationRequest(kind: .group, memberIds: [bob.id]), token: ada.tokens.accessToken)
            let group = try created.decode(Conversation.self).id
            _ = try await api.post("/api/v1/conversations/\(group)/accept", token: bob.tokens.accessToken)
            let bobDevice = try #require(bob.devices.first?.device)
            let adaLaptop = try #require(ada.devices.last?.device)
            func send(_ form: GroupMessageRequest) async throws -> TestResponse {
                try await api.post("/api/v1/conversations/\(group)/messages", form, token: ada.tokens.accessToken, headers: ada.headers(1))
            }
            let all = [
                DeviceAddress(accountId: bob.id, deviceId: bobDevice.id, registrationId: bobDevice.registrationId),
                DeviceAddress(accountId: ada.id, deviceId: adaLaptop.id, registrationId: adaLaptop.registrationId),
            ]
            let missing = try await send(GroupMessageRequest(payload: "AAAA", devices: [all[0]]))
            #expect(missing.status == 409 && missing.fieldErrors == ["devices.\(ada.id).\(adaLaptop.id)"] && missing.text.contains("missing"))
            var stale = all
            stale[0].registrationId = bobDevice.registrationId == 1 ? 2 : 1
            #expect(try await send(GroupMessageRequest(payload: "AAAA", devices: stale)).text.contains("stale"))
            let extra = all + [DeviceAddress(accountId: AccountID(rawValue: 999_999), deviceId: 1, registrationId: 1)]
            #expect(try await send(GroupMessageRequest(payload: "AAAA", devices: extra)).text.contains("extra"))
            #expect(try await count("messaging_payloads", in: app) == 0)

            #expect(try await send(GroupMessageRequest()).status == 422)
            #expect(try await send(GroupMessageRequest(payload: "not base64!", devices: all)).status == 422)
            #expect(try await send(GroupMessageRequest(devices: all)).status == 422)
            let senderKeyEnvelope = OutgoingEnvelope(
                accountId: bob.id, deviceId: bobDevice.id, registrationId: bobDevice.registrationId, type: .senderKey, content: "AAAA")
            #expect(try await send(GroupMessageRequest(envelopes: [senderKeyEnvelope])).status == 422)
            let direct = try await api.send(SendMessageRequest(recipientId: bob.id, envelopes: [senderKeyEnvelope]), from: ada, device: 1)
            #expect(direct.status == 422)

            let sent = try await send(GroupMessageRequest(payload: "AAAA", devices: all))
            #expect(sent.status == 201)
            #expect(try sent.decode(SentMessage.self).envelopes.count == 2)
            // The envelope rows carry no copy of the payload; the delivered envelope does.
            let envelope = try #require(try await api.waiting(bob, device: bobDevice.id).items.first)
            #expect(envelope.type == .senderKey && envelope.content == "AAAA" && envelope.conversationId == group)
            let copies = try await app.kernel.database.sql.raw("SELECT COUNT(*) AS n FROM messaging_envelopes WHERE content <> ''").first()?
                .decode(column: "n", as: Int.self)
            #expect(copies == 0)

            let pair = try await api.post(
                "/api/v1/conversations", CreateConversationRequest(kind: .direct, memberIds: [bob.id]), token: ada.tokens.accessToken)
            let directID = try pair.decode(Conversation.self).id
            let refused = try await api.post(
                "/api/v1/conversations/\(directID)/messages", GroupMessageRequest(payload: "AAAA", devices: [all[0]]), token: ada.tokens.accessToken,
                headers: ada.headers(1))
            #expect(refused.status == 409 && refused.text.contains("not_a_group"))
        }
    }
    @Test("A suspended member's devices are neither expected nor sent to; restored, they are expected again")
    func suspendedMember() async throws {
        try await TestApp.run { app, api in
            let admin = try await app.signedInAdmin(api)
            let ada = try await api.member("ada", devices: 1)
            let bob = try await api.member("bob", devices: 1)
            let cat = try await api.member("cat", devices: 1)
            let created = try await api.post(
                "/api/v1/conversations", CreateConversationRequest(kind: .group, memberIds: [bob.id, cat.id]), token: ada.tokens.accessToken)
            let group = try created.decode(Conversation.self).id
            for member in [bob, cat] { _ = try await api.post("/api/v1/conversations/\(group)/accept", token: member.tokens.accessToken) }
            func address(_ member: Member) throws -> DeviceAddress {
                let device = try #require(member.devices.first?.device)
                return DeviceAddress(accountId: member.id, deviceId: device.id, registrationId: device.registrationId)
            }
            func send(_ devices: [DeviceAddress]) async throws -> TestResponse {
                try await api.post(
                    "/api/v1/conversations/\(group)/messages", GroupMessageRequest(payload: "AAAA", devices: devices), token: ada.tokens.accessToken,
                    headers: ada.headers(1))
            }
            #expect(try await send([try address(bob), try address(cat)]).status == 201)

            let catAccount = "/api/v1/admin/accounts/\(cat.id)"
            #expect(try await api.post("\(catAccount)/suspend", SuspendAccountRequest(reason: "spam"), token: admin.accessToken).status == 200)
            // Addressing Cat's device now is an extra device; leaving it out is complete.
            let extra = try await send([try address(bob), try address(cat)])
            let catDevice = try address(cat).deviceId
            #expect(extra.status == 409 && extra.fieldErrors == ["devices.\(cat.id).\(catDevice)"] && extra.text.contains("extra"))
            let sent = try await send([try address(bob)])
            #expect(sent.status == 201)
            #expect(try sent.decode(SentMessage.self).envelopes.map(\.accountId) == [bob.id])

            #expect(try await api.post("\(catAccount)/unsuspend", token: admin.accessToken).status == 200)
            let missing = try await send([try address(bob)])
            #expect(missing.status == 409 && missing.text.contains("missing"))
            #expect(try await send([try address(bob), try address(cat)]).status == 201)
        }
    }
}
