import EntativaCore
import EntativaKit
import EntativaModels
import EntativaTestSupport
import Foundation
import HTTPTypes
import SQLKit
import Testing

@Suite("Feed: direct messages as an affinity signal")
struct MessageAffinityTests {
    /// The reader writes to one of two followed authors: that author's post outranks an equal,
    /// newer one. Only the first message of a day counts, and only for its sender.
    @Test("A day's first direct message to an author counts toward the sender's affinity and moves the ranked home")
    func messages() async throws {
        try await TestApp.run { app, api in
            let reader = try await api.register("reader")
            let friend = try await api.register("friend")
            let other = try await api.register("other")
            var devices: [AccountID: RegisteredDevice] = [:]
            for account in [reader, friend] {
                let keys = try DeviceKeys.generate(oneTimePreKeys: 1)
                devices[account.account.id] = try await api.post("/api/v1/devices", keys.registration(name: "phone"), token: account.accessToken)
                    .decode(RegisteredDevice.self)
            }
            let mine = try #require(devices[reader.account.id])
            let theirs = try #require(devices[friend.account.id]).device
            let envelope = OutgoingEnvelope(
                accountId: friend.account.id, deviceId: theirs.id, registrationId: theirs.registrationId, type: .message, content: "Y2lwaGVydGV4dA==")
            for _ in 0..<3 {
                let sent = try await api.post(
                    "/api/v1/messages", SendMessageRequest(recipientId: friend.account.id, envelopes: [envelope]), token: reader.accessToken,
                    headers: [HTTPField.Name("X-Device-ID")!: String(mine.device.id), HTTPField.Name("X-Device-Secret")!: mine.deviceSecret])
                #expect(sent.status == 201, "\(sent.text)")
            }
            try await api.follow(friend.account.id, token: reader.accessToken)
            try await api.follow(other.account.id, token: reader.accessToken)
            _ = try await api.publish("from the friend", token: friend.accessToken)
            _ = try await api.publish("from the other one", token: other.accessToken)
            try await app.runJobs()
            let ranked = try await api.get("/api/v1/timelines/home?order=ranked", token: reader.accessToken).decode(HomePage.self)
            #expect(ranked.items.map(\.text) == ["from the friend", "from the other one"])
            let rows = try await app.kernel.database.sql.raw("SELECT viewer_id, author_id FROM feed_interactions").all()
            #expect(rows.count == 1)
            #expect(try rows.first?.decode(column: "viewer_id", as: Int64.self) == reader.account.id.rawValue)
        }
    }
}
