import EntativaCore
import EntativaCrypto
import EntativaKit
import EntativaModels
import EntativaTestSupport
import Foundation
import HTTPTypes
import Testing

extension TestAPI {
    /// Registers a device with fresh keys; fails the test on anything but 201.
    func registerDevice(_ name: String, keys: DeviceKeys, token: String) async throws -> RegisteredDevice {
        let answer = try await post("/api/v1/devices", keys.registration(name: name), token: token)
        guard answer.status == 201 else { throw DeviceTestFailure(description: "register device: \(answer.status) \(answer.text)") }
        return try answer.decode(RegisteredDevice.self)
    }
}

struct DeviceTestFailure: Error, CustomStringConvertible { var description: String }

@Suite("Messaging: devices and prekeys")
struct DeviceTests {
    @Test("The first device is active; a second waits for the first's signature; five at most; removal takes the keys")
    func linking() async throws {
        try await TestApp.run { app, api in
            let ada = try await api.register("ada")
            let phoneKeys = try DeviceKeys.generate(oneTimePreKeys: 5)
            let phone = try await api.registerDevice("phone", keys: phoneKeys, token: ada.accessToken)
            #expect(phone.device.id == 1 && phone.device.status == .active && phone.device.oneTimePreKeys == 5)
            #expect(phone.deviceSecret.count == 43)

            let laptopKeys = try DeviceKeys.generate(oneTimePreKeys: 3)
            let laptop = try await api.registerDevice("laptop", keys: laptopKeys, token: ada.accessToken)
            #expect(laptop.device.id == 2 && laptop.device.status == .pending)
            // A pending device serves no bundle.
            let bob = try await api.register("bob")
            #expect(try await api.get("/api/v1/keys/\(ada.account.id)", token: bob.accessToken).decode(PreKeyBundles.self).devices.map(\.deviceId) == [1])

            let path = "/api/v1/devices/2/approve"
            // Signed by the pending device itself, by the wrong key, or for another slot: refused.
            let selfSigned = laptopKeys.approval(of: laptop.device, account: ada.account.id, approverDeviceId: 1)
            #expect(try await api.post(path, selfSigned, token: ada.accessToken).fieldErrors == ["signature"])
            var otherSlot = laptop.device
            otherSlot.id = 3
            let wrongSlot = phoneKeys.approval(of: otherSlot, account: ada.account.id, approverDeviceId: 1)
            #expect(try await api.post(path, wrongSlot, token: ada.accessToken).fieldErrors == ["signature"])
            let byPending = phoneKeys.approval(of: laptop.device, account: ada.account.id, approverDeviceId: 2)
            #expect(try await api.post(path, byPending, token: ada.accessToken).fieldErrors == ["approver_device_id"])
            // Another account cannot approve ada's device.
            let approval = phoneKeys.approval(of: laptop.device, account: ada.account.id, approverDeviceId: 1)
            #expect(try await api.post(path, approval, token: bob.accessToken).status == 404)
            let approved = try await api.post(path, approval, token: ada.accessToken).decode(Device.self)
            #expect(approved.status == .active)
            #expect(try await api.post(path, approval, token: ada.accessToken).status == 409)

            for index in 3...5 { _ = try await api.registerDevice("spare \(index)", keys: try DeviceKeys.generate(oneTimePreKeys: 0), token: ada.accessToken) }
            let sixth = try await api.post("/api/v1/devices", try DeviceKeys.generate(oneTimePreKeys: 0).registration(name: "sixth"), token: ada.accessToken)
            #expect(sixth.status == 409)
            let listed = try await api.get("/api/v1/devices", token: ada.accessToken).decode(Page<Device>.self).items
            #expect(listed.map(\.id) == [1, 2, 3, 4, 5] && listed.map(\.status) == [.active, .active, .pending, .pending, .pending])

            #expect(try await api.delete("/api/v1/devices/1", token: bob.accessToken).status == 404)
            #expect(try await api.delete("/api/v1/devices/1", token: ada.accessToken).status == 204)
            #expect(try await api.delete("/api/v1/devices/1", token: ada.accessToken).status == 404)
            #expect(try await api.delete("/api/v1/devices/0", token: ada.accessToken).status == 404)
            #expect(try await api.delete("/api/v1/devices/99999999999999999999", token: ada.accessToken).status == 404)
            let prekeys = try await app.kernel.database.sql.raw(
                "SELECT COUNT(*) AS n FROM messaging_one_time_prekeys WHERE account_id = \(bind: ada.account.id.rawValue) AND device_id = 1"
            ).first()?.decode(column: "n", as: Int.self)
            #expect(prekeys == 0)
            // The freed ID goes to the next device.
            #expect(try await api.registerDevice("new phone", keys: try DeviceKeys.generate(oneTimePreKeys: 0), token: ada.accessToken).device.id == 1)
            #expect(try await api.get("/api/v1/devices").status == 401)
        }
    }

    @Test("Bad keys, a forged signature and out-of-range numbers are refused field by field, and nothing is stored")
    func validation() async throws {
        try await TestApp.run { app, api in
            let ada = try await api.register("ada")
            let keys = try DeviceKeys.generate(oneTimePreKeys: 2)
            var form = keys.registration(name: "")
            form.registrationId = 16_381
            form.identityKey = Data([0x06] + keys.identity.publicKey).base64EncodedString()
            form.signedPreKey.keyId = 0
            form.oneTimePreKeys = [
                OneTimePreKeyUpload(keyId: 7, publicKey: "not base64!"), OneTimePreKeyUpload(keyId: 7, publicKey: keys.oneTimePreKeys[0].serializedPublicKey),
            ]
            let refused = try await api.post("/api/v1/devices", form, token: ada.accessToken)
            #expect(refused.status == 422)
            #expect(Set(refused.fieldErrors) == [
                "name", "registration_id", "identity_key", "signed_pre_key.key_id", "one_time_pre_keys", "one_time_pre_keys.0.public_key",
            ])

            // A signed prekey signed by another identity key.
            var forged = keys.registration(name: "phone")
            forged.signedPreKey = try DeviceKeys.generate(oneTimePreKeys: 0).signedPreKeyUpload
            #expect(try await api.post("/api/v1/devices", forged, token: ada.accessToken).fieldErrors == ["signed_pre_key.signature"])
            var tooMany = keys.registration(name: "phone")
            tooMany.oneTimePreKeys = (1...101).map { OneTimePreKeyUpload(keyId: $0, publicKey: keys.oneTimePreKeys[0].serializedPublicKey) }
            #expect(try await api.post("/api/v1/devices", tooMany, token: ada.accessToken).fieldErrors == ["one_time_pre_keys"])
            let stored = try await app.kernel.database.sql.raw("SELECT COUNT(*) AS n FROM messaging_devices").first()?.decode(column: "n", as: Int.self)
            #expect(stored == 0)
        }
    }

    @Test("Only the device, by its secret, replaces its signed prekey and adds one-time prekeys, up to 100")
    func upload() async throws {
        try await TestApp.run { _, api in
            let ada = try await api.register("ada")
            let keys = try DeviceKeys.generate(oneTimePreKeys: 98, firstPreKeyID: 1)
            let phone = try await api.registerDevice("phone", keys: keys, token: ada.accessToken)
            let path = "/api/v1/devices/1/keys"
            let more = try DeviceKeys.generate(oneTimePreKeys: 3, firstPreKeyID: 200)
            let form = UploadPreKeysRequest(oneTimePreKeys: more.oneTimePreKeys.map { OneTimePreKeyUpload(keyId: $0.id, publicKey: $0.serializedPublicKey) })
            let secret: HTTPFields = [HTTPField.Name("X-Device-Secret")!: phone.deviceSecret]
            let wrong: HTTPFields = [HTTPField.Name("X-Device-Secret")!: "guess"]
            #expect(try await api.put(path, form, token: ada.accessToken).status == 404)
            #expect(try await api.put(path, form, token: ada.accessToken, headers: wrong).status == 404)
            let bob = try await api.register("bob")
            #expect(try await api.put(path, form, token: bob.accessToken, headers: secret).status == 404)
            // 98 + 3 would pass 100.
            #expect(try await api.put(path, form, token: ada.accessToken, headers: secret).fieldErrors == ["one_time_pre_keys"])
            var two = form
            two.oneTimePreKeys?.removeLast()
            #expect(try await api.put(path, two, token: ada.accessToken, headers: secret).decode(Device.self).oneTimePreKeys == 100)

            // A new signed prekey must be signed by the device's identity key.
            let rotated = try DeviceKeys.generate(oneTimePreKeys: 0)
            var resigned = keys
            resigned.signedPreKey = rotated.signedPreKey
            resigned.signedPreKeySignature = XEdDSA.sign([0x05] + rotated.signedPreKey.publicKey, privateKey: keys.identity.privateKey)
            let forged = UploadPreKeysRequest(signedPreKey: rotated.signedPreKeyUpload)
            #expect(try await api.put(path, forged, token: ada.accessToken, headers: secret).fieldErrors == ["signed_pre_key.signature"])
            let replaced = try await api.put(path, UploadPreKeysRequest(signedPreKey: resigned.signedPreKeyUpload), token: ada.accessToken, headers: secret)
            #expect(try replaced.decode(Device.self).signedPreKeyId == rotated.signedPreKey.id)
            let bundle = try await api.get("/api/v1/keys/\(ada.account.id)/1", token: bob.accessToken).decode(PreKeyBundles.self)
            #expect(bundle.devices.first?.signedPreKey == resigned.signedPreKeyUpload)
        }
    }

    @Test("Concurrent bundle fetches never hand out one prekey twice, and the owner hears when prekeys run low", arguments: [false, true])
    func concurrentFetches(live: Bool) async throws {
        try await TestApp.run(testMode: live ? .live : .router) { app, api in
            let ada = try await api.register("ada")
            let keys = try DeviceKeys.generate(oneTimePreKeys: 20)
            _ = try await api.registerDevice("phone", keys: keys, token: ada.accessToken)
            var fetchers: [AuthTokens] = []
            for index in 0..<6 { fetchers.append(try await api.register("fetcher\(index)")) }
            let taken = try await withThrowingTaskGroup(of: [Int?].self) { group in
                for fetcher in fetchers {
                    group.addTask {
                        var seen: [Int?] = []
                        for _ in 0..<5 {
                            let answer = try await api.get("/api/v1/keys/\(ada.account.id)", token: fetcher.accessToken)
                            seen.append(try answer.decode(PreKeyBundles.self).devices.first?.oneTimePreKey?.keyId)
                        }
                        return seen
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            let handed = taken.compactMap { $0 }
            #expect(handed.count == 20 && Set(handed).count == 20, "\(handed.sorted())")
            #expect(taken.count == 30)
            // The bundle matches what the device published, and the server keeps none of it now.
            let uploaded = Set(keys.oneTimePreKeys.map(\.id))
            #expect(Set(handed) == uploaded)
            let events = try await app.kernel.database.sql.raw(
                "SELECT payload FROM realtime_events WHERE account_id = \(bind: ada.account.id.rawValue) AND type = 'prekeys_low'"
            ).all().count
            #expect(events >= 10)
        }
    }

    @Test("Blocked either way, suspended, deleted or without devices: not found; fetches are budgeted")
    func bundleAccess() async throws {
        try await TestApp.run(configure: { $0.messaging.bundleFetchesPerHour = 8 }) { app, api in
            let admin = try await app.signedInAdmin(api)
            let ada = try await api.register("ada")
            let bob = try await api.register("bob")
            let cat = try await api.register("cat")
            let path = "/api/v1/keys/\(ada.account.id)"
            #expect(try await api.get(path, token: bob.accessToken).status == 404)  // no device yet
            _ = try await api.registerDevice("phone", keys: try DeviceKeys.generate(oneTimePreKeys: 3), token: ada.accessToken)
            #expect(try await api.get(path, token: bob.accessToken).status == 200)
            #expect(try await api.get("\(path)/2", token: bob.accessToken).status == 404)
            #expect(try await api.get("\(path)/128", token: bob.accessToken).status == 404)
            #expect(try await api.get(path).status == 401)

            #expect(try await api.post("/api/v1/accounts/\(bob.account.id)/block", token: ada.accessToken).status == 200)
            #expect(try await api.get(path, token: bob.accessToken).status == 404)
            #expect(try await api.get("/api/v1/keys/\(bob.account.id)", token: ada.accessToken).status == 404)

            let account = "/api/v1/admin/accounts/\(ada.account.id)"
            #expect(try await api.post("\(account)/suspend", SuspendAccountRequest(reason: "spam"), token: admin.accessToken).status == 200)
            #expect(try await api.get(path, token: cat.accessToken).status == 404)
            #expect(try await api.post("\(account)/unsuspend", token: admin.accessToken).status == 200)
            #expect(try await api.get(path, token: cat.accessToken).status == 200)

            // cat has spent 2 of 8 (the one refused while ada was suspended counts too); 6 more pass, the next is refused.
            for _ in 0..<6 { #expect(try await api.get(path, token: cat.accessToken).status == 200) }
            let refused = try await api.get(path, token: cat.accessToken)
            #expect(refused.status == 429 && refused.headers[.retryAfter] != nil)

            // Suspension ended ada's sessions.
            let again = try await api.login(username: "ada")
            #expect(try await api.delete("/api/v1/accounts/me", DeleteAccountRequest(password: TestAPI.defaultPassword), token: again.accessToken).status == 202)
            try await app.runJobs()
            let left = try await app.kernel.database.sql.raw("SELECT COUNT(*) AS n FROM messaging_devices").first()?.decode(column: "n", as: Int.self)
            #expect(left == 0)
        }
    }
}

@Suite("Messaging: keys libsignal made")
struct LibsignalKeyTests {
    @Test("The server takes a device whose keys and signature libsignal made, and libsignal verifies the bundle it serves")
    func libsignalDevice() async throws {
        try await TestApp.run { _, api in
            let ada = try await api.register("ada")
            let bob = try await api.register("bob")
            let pairs = try await LibsignalPeer.ask([["op": "generate"], ["op": "generate"], ["op": "generate"]])
            let (identity, signed, oneTime) = (pairs[0], pairs[1], pairs[2])
            let signedPublic = [UInt8]([0x05]) + [UInt8](hex: signed["public"] ?? "")
            let signature = try await LibsignalPeer.ask([["op": "sign", "private": identity["private"] ?? "", "message": signedPublic.hex]])[0]
            let base64 = { (hex: String) in Data([0x05] + [UInt8](hex: hex)).base64EncodedString() }
            let form = RegisterDeviceRequest(
                name: "libsignal", registrationId: 4242, identityKey: base64(identity["public"] ?? ""),
                signedPreKey: SignedPreKeyUpload(
                    keyId: 7, publicKey: Data(signedPublic).base64EncodedString(),
                    signature: Data([UInt8](hex: signature["signature"] ?? "")).base64EncodedString()),
                oneTimePreKeys: [OneTimePreKeyUpload(keyId: 1, publicKey: base64(oneTime["public"] ?? ""))])
            #expect(try await api.post("/api/v1/devices", form, token: ada.accessToken).status == 201)

            let bundle = try #require(try await api.get("/api/v1/keys/\(ada.account.id)", token: bob.accessToken).decode(PreKeyBundles.self).devices.first)
            #expect(bundle.registrationId == 4242 && bundle.oneTimePreKey?.keyId == 1)
            let served = { (text: String) in [UInt8](Data(base64Encoded: text) ?? Data()) }
            let verdict = try await LibsignalPeer.ask([[
                "op": "verify", "public": Array(served(bundle.identityKey).dropFirst()).hex, "message": served(bundle.signedPreKey.publicKey).hex,
                "signature": served(bundle.signedPreKey.signature).hex,
            ]])
            #expect(verdict[0]["valid"] == "yes")
        }
    }
}
