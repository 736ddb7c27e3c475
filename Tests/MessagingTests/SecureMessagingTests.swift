import EntativaCore
import EntativaKit
import EntativaModels
import EntativaTestSupport
import Foundation
import Testing

@Suite("Messaging: end to end through the server")
struct SecureMessagingTests {
    func client(_ port: Int, _ username: String) async throws -> (EntativaClient, AccountID) {
        let client = EntativaClient(baseURL: URL(string: "http://127.0.0.1:\(port)")!)
        let tokens = try await client.register(RegisterRequest(username: username, email: "\(username)@example.com", password: TestAPI.defaultPassword))
        return (client, tokens.account.id)
    }

    /// Registers another device of the account and approves it from `approver`.
    func link(_ client: EntativaClient, account: AccountID, name: String, approver: SecureMessenger) async throws -> SecureMessenger {
        let messenger = try await SecureMessenger.register(client: client, account: account, name: name, oneTimePreKeys: 10)
        let id = await messenger.state.deviceID
        let pending = try #require(try await client.devices().first { $0.id == id })
        let approverState = await approver.state
        _ = try await client.approveDevice(id, approverState.keys.approval(of: pending, account: account, approverDeviceId: approverState.deviceID))
        return messenger
    }

    @Test("Two accounts, three devices, one offline while messages flow, then in order; a new device is found by the 409; the database holds no plaintext")
    func conversation() async throws {
        try await TestApp.run(testMode: .live) { app, api in
            let port = try #require(api.port)
            let (ada, adaID) = try await client(port, "ada")
            let (bob, bobID) = try await client(port, "bob")
            let adaPhone = try await SecureMessenger.register(client: ada, account: adaID, name: "phone", oneTimePreKeys: 10)
            let adaLaptop = try await link(ada, account: adaID, name: "laptop", approver: adaPhone)
            let bobPhone = try await SecureMessenger.register(client: bob, account: bobID, name: "phone", oneTimePreKeys: 10)

            let marker = UUID().uuidString.prefix(8)
            let texts = (1...5).map { "plaintext \(marker) number \($0)" }
            for text in texts { try await adaPhone.send(text, to: bobID) }
            // Bob's phone was offline: everything waits, and comes in order.
            #expect(try await bobPhone.receive().map(\.text) == texts)
            #expect(try await bobPhone.receive().isEmpty)
            // Ada's laptop got its own copies of what her phone sent.
            let copies = try await adaLaptop.receive()
            #expect(copies.map(\.text) == texts && copies.allSatisfy { $0.sender == adaID && $0.senderDevice == 1 })

            let reply = "reply \(marker) from bob"
            try await bobPhone.send(reply, to: adaID)
            #expect(try await adaPhone.receive().map(\.text) == [reply])
            #expect(try await adaLaptop.receive().map(\.text) == [reply])

            // Bob links a tablet; Ada's next message is refused with 409 until her messenger
            // fetches its keys, then reaches it too.
            let bobTablet = try await link(bob, account: bobID, name: "tablet", approver: bobPhone)
            let late = "late \(marker) for every device"
            try await adaPhone.send(late, to: bobID)
            #expect(try await bobTablet.receive().map(\.text) == [late])
            #expect(try await bobPhone.receive().map(\.text) == [late])
            // Bob's phone sends from a session its tablet learns of as a copy.
            try await bobPhone.send("after \(marker)", to: adaID)
            #expect(try await bobTablet.receive().map(\.text) == ["after \(marker)"])
            #expect(try await adaLaptop.receive().map(\.text) == [late, "after \(marker)"])

            // Both see the same safety number for the pair of devices.
            let adaSees = try #require(await adaPhone.safetyNumber(with: bobID, device: 1))
            let bobSees = await bobPhone.safetyNumber(with: adaID, device: 1)
            #expect(adaSees.count == 60 && adaSees == bobSees)

            // Sessions survive a save and a restore.
            let saved = try JSONEncoder().encode(await adaPhone.state)
            let restored = SecureMessenger(client: ada, state: try JSONDecoder().decode(SecureMessenger.State.self, from: saved))
            try await restored.send("restored \(marker)", to: bobID)
            #expect(try await bobPhone.receive().map(\.text) == ["restored \(marker)"])

            // What the server stored never held a plaintext (the device names show the search finds text).
            #expect(try await DataInvariants.textContaining(String(marker), in: app.kernel.database) == [])
            #expect(try await DataInvariants.textContaining("tablet", in: app.kernel.database) == ["messaging_devices.name (1)"])
        }
    }
}
