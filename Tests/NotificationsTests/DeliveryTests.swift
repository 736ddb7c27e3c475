import DeliveryChannels
import EntativaCore
import EntativaModels
import EntativaTestSupport
import Foundation
import SQLKit
import Testing

@testable import Notifications

@Suite("Notification delivery jobs")
struct DeliveryTests {
    @Test("A delivery planned or sent twice (a retried job) sends once; one blocked before sending is not sent")
    func retriesDoNotDuplicate() async throws {
        try await TestApp.run { app, api in
            let alice = try await api.register("alice")
            let bob = try await api.register("bob")
            let carol = try await api.register("carol")
            _ = try await api.preferences(NotificationPreferencesUpdate(types: ["follow": TypePreferencePatch(email: true)]), token: alice.accessToken)
            try await api.follow(alice.account.id, token: bob.accessToken)
            try await app.runJobs()
            let followMails = { app.mail.sent.filter { $0.to == "alice@example.com" && $0.subject.contains("followed") } }
            #expect(followMails().count == 1)

            // The same jobs once more, as after a crash between sending and recording.
            let deliveries = Deliveries(env: app.runtime.notifications.env, channels: PushChannels())
            let notification = try #require(try await api.flat(token: alice.accessToken).first)
            try await deliveries.plan(notification.id.rawValue)
            let delivery = try #require(try await app.kernel.database.sql.raw("SELECT id FROM notification_deliveries").first()?.decode(column: "id", as: Int64.self))
            try await deliveries.email(delivery)
            try await app.runJobs()
            #expect(followMails().count == 1)
            #expect(try await app.deliveries(alice.account.id, channel: "email") == ["sent"])

            // Stored, then the actor is blocked before the delivery job runs: nothing goes out.
            try await api.follow(alice.account.id, token: carol.accessToken)
            try await app.kernel.events.dispatchPending()
            try await app.kernel.jobs.runDueJobs(limit: 1)
            _ = try await api.post("/api/v1/accounts/\(carol.account.id)/block", token: alice.accessToken)
            try await app.runJobs()
            #expect(followMails().count == 1)
        }
    }
}

@Suite("Push devices")
struct PushDeviceTests {
    static let p256dh = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"
    static let auth = "BTBZMqHH6r4Tts7J_aSIgg"

    @Test("Registering validates each platform's token, refuses private push endpoints, caps devices, and only the owner removes one")
    func registerAndRemove() async throws {
        try await TestApp.run { _, api in
            let alice = try await api.register("alice")
            let bob = try await api.register("bob")
            let keys = WebPushKeys(p256dh: Self.p256dh, auth: Self.auth)
            let good = RegisterPushDeviceRequest(platform: .web, token: "https://push.example.net/send/abc", keys: keys)
            let created = try await api.post("/api/v1/push/devices", good, token: alice.accessToken)
            #expect(created.status == 201)
            let device = try created.decode(PushDevice.self)
            #expect(device.tokenHint == "nd/abc")
            for bad in [
                RegisterPushDeviceRequest(platform: .web, token: "http://push.example.net/x", keys: keys),
                RegisterPushDeviceRequest(platform: .web, token: "https://127.0.0.1/x", keys: keys),
                RegisterPushDeviceRequest(platform: .web, token: "https://192.168.1.10/x", keys: keys),
                RegisterPushDeviceRequest(platform: .web, token: "https://push.example.net/x", keys: WebPushKeys(p256dh: "short", auth: Self.auth)),
                RegisterPushDeviceRequest(platform: .apns, token: "not-hex", appId: "com.example"),
                RegisterPushDeviceRequest(platform: .apns, token: "abcd"),
                RegisterPushDeviceRequest(platform: .fcm, token: " "),
            ] {
                #expect(try await api.post("/api/v1/push/devices", bad, token: alice.accessToken).status == 422, "\(bad)")
            }
            #expect(try await api.post("/api/v1/push/devices", good).status == 401)
            #expect(try await api.delete("/api/v1/push/devices/\(device.id)", token: bob.accessToken).status == 404)
            // The same token registered by another account moves to it.
            #expect(try await api.post("/api/v1/push/devices", good, token: bob.accessToken).status == 201)
            #expect(try await api.get("/api/v1/push/devices", token: alice.accessToken).decode(Page<PushDevice>.self).items.isEmpty)
            for index in 0..<20 {
                let form = RegisterPushDeviceRequest(platform: .fcm, token: "token-\(index)", appId: "com.example")
                #expect(try await api.post("/api/v1/push/devices", form, token: alice.accessToken).status == 201)
            }
            let extra = RegisterPushDeviceRequest(platform: .fcm, token: "token-20", appId: "com.example")
            #expect(try await api.post("/api/v1/push/devices", extra, token: alice.accessToken).status == 409)
            let mine = try await api.get("/api/v1/push/devices", token: alice.accessToken).decode(Page<PushDevice>.self).items
            #expect(try await api.delete("/api/v1/push/devices/\(mine[0].id)", token: alice.accessToken).status == 204)
            #expect(try await api.get("/api/v1/push/vapid_key").decode(VAPIDPublicKey.self).publicKey.count == 87)
        }
    }

    @Test("Private addresses are recognised however they are spelled")
    func privateAddresses() {
        for host in [
            "127.0.0.1", "127.1", "2130706433", "0x7f.0.0.1", "10.1.2.3", "172.20.0.1", "192.168.0.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
            "[::1]", "::", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "fe80::1", "febf::1", "fc00::1", "fd12::1", "localhost", "api.localhost", "printer.local",
        ] {
            #expect(PrivateAddress.contains(host: host), "\(host)")
        }
        for host in ["8.8.8.8", "172.32.0.1", "100.128.0.1", "2001:4860::8888", "fec0::1", "push.example.net", "fcm.googleapis.com"] {
            #expect(!PrivateAddress.contains(host: host), "\(host)")
        }
    }
}

@Suite("Realtime notification payload")
struct RealtimePayloadTests {
    @Test("The hand-written payload is byte for byte what the encoder writes, escapes included, and decodes")
    func matchesTheEncoder() throws {
        let actor = Account(
            id: AccountID(rawValue: 42), username: "zoë", displayName: "Zoë \"Z\" \\ /", bio: "line\nbreak", links: [], isPrivate: false, role: .user,
            createdAt: Date(millisecondsSince1970: 1_800_000_000_123))
        let notification = AppNotification(
            id: NotificationID(rawValue: 7), type: "reaction", actor: actor, target: NotificationTarget(kind: "post", id: "9"), object: nil,
            groupKey: "reaction-9-11", text: "zoë reacted to your post", data: ["kind": "love", "note": "tab\there"], read: false,
            createdAt: Date(millisecondsSince1970: 1_800_000_001_456))
        let json = try RealtimePayloadJSON(actors: [actor.id: actor]).payload(notification, groupCount: 3)
        let decoded = try EntativaJSON.decoder().decode(Notifier.RealtimePayload.self, from: Data(json.utf8))
        #expect(decoded.groupCount == 3 && decoded.notification.id == notification.id && decoded.notification.data == notification.data)
        #expect(decoded.notification.actor?.displayName == actor.displayName && decoded.notification.target == notification.target)
        let encoded = try EntativaJSON.encoder().encode(Notifier.RealtimePayload(notification: notification, groupCount: 3))
        #expect(String(decoding: encoded, as: UTF8.self) == json)
    }
}

@Suite("Email digests")
struct DigestTests {
    @Test("With a daily digest, email-enabled notifications wait and go out as one mail; security notices don't wait")
    func dailyDigest() async throws {
        try await TestApp.run { app, api in
            let alice = try await api.register("alice")
            _ = try await api.preferences(
                NotificationPreferencesUpdate(types: ["follow": TypePreferencePatch(email: true)], emailDigest: .daily), token: alice.accessToken)
            for name in ["bob", "carol"] {
                let other = try await api.register(name)
                try await api.follow(alice.account.id, token: other.accessToken)
            }
            try await app.runJobs()
            #expect(!app.mail.sent.contains { $0.subject.contains("followed") })
            #expect(try await app.deliveries(alice.account.id, channel: "email") == ["digest", "digest"])
            try await EmailDigests(env: app.runtime.notifications.env).run()
            try await app.runJobs()
            let digest = try #require(app.mail.sent.last { $0.to == "alice@example.com" })
            #expect(digest.subject.contains("daily summary") && digest.body.contains("bob followed you") && digest.body.contains("carol followed you"))
            #expect(try await app.deliveries(alice.account.id, channel: "email") == ["sent", "sent"])
            // A second run (another instance's job racing) finds nothing left to send.
            let count = app.mail.sent.count
            try await EmailDigests(env: app.runtime.notifications.env).run()
            try await app.runJobs()
            #expect(app.mail.sent.count == count)
        }
    }
}
