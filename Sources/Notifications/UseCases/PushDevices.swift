import DeliveryChannels
import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// The devices and browser subscriptions an account receives push on. A token belongs to one
/// account: registering it again (another user signed in on the same phone) moves it.
public struct PushDevices: Sendable {
    let env: NotificationsEnvironment
    static let maxPerAccount = 20

    public func register(_ caller: Principal, _ form: RegisterPushDeviceRequest) async throws -> PushDevice {
        var validator = Validator()
        let token = form.token.trimmingCharacters(in: .whitespacesAndNewlines)
        validator.check(!token.isEmpty && token.utf8.count <= 4096, "token", "invalid", "must be 1–4096 characters")
        if let appID = form.appId { validator.check(!appID.isEmpty && appID.count <= 255, "app_id", "invalid", "must be 1–255 characters") }
        switch form.platform {
        case .web:
            let url = URL(string: token)
            validator.check(url?.scheme == "https" && url?.host != nil, "token", "invalid", "must be the subscription's https endpoint URL")
            if let host = url?.host, !env.settings.allowPrivatePushEndpoints, PrivateAddress.contains(host: host) {
                validator.add("token", "private_address", "must be a public push service, not a local or private address")
            }
            validator.check(form.keys.flatMap { Data(base64URLEncoded: $0.p256dh) }?.count == 65, "keys.p256dh", "invalid", "must be a base64url P-256 public key")
            validator.check(form.keys.flatMap { Data(base64URLEncoded: $0.auth) }?.count == 16, "keys.auth", "invalid", "must be a base64url 16-byte secret")
        case .apns:
            validator.check(token.utf8.count <= 200 && token.allSatisfy(\.isHexDigit), "token", "invalid", "must be the hexadecimal device token")
            validator.check(form.appId != nil, "app_id", "required", "is the bundle ID (the APNs topic)")
        case .fcm:
            validator.check(token.utf8.count <= 4096, "token", "invalid", "must be the registration token")
        }
        try validator.validate()
        if form.platform == .web, let host = URL(string: token)?.host {
            do {
                try await SharedHTTPClients.pinned(for: env.settings).check(host: host)
            } catch {
                throw AppError.invalid(
                    field: "token", code: "private_address", message: "must be a public push service that resolves to public addresses")
            }
        }
        let env = self.env
        let now = env.clock.nowMillis()
        let id: Int64 = try await env.database.transaction { db in
            try await db.raw("DELETE FROM push_devices WHERE platform = \(bind: form.platform.rawValue) AND token = \(bind: token)").run()
            let count = try await db.raw("SELECT COUNT(*) AS n FROM push_devices WHERE account_id = \(bind: caller.accountID.rawValue)")
                .first()?.decode(column: "n", as: Int64.self) ?? 0
            guard count < Self.maxPerAccount else {
                throw AppError.conflict("An account may register at most \(Self.maxPerAccount) push devices.", code: "device-limit")
            }
            let id = env.kernel.ids.next()
            try await db.raw("""
                INSERT INTO push_devices (id, account_id, platform, token, app_id, p256dh, auth, created_at)
                VALUES (\(bind: id), \(bind: caller.accountID.rawValue), \(bind: form.platform.rawValue), \(bind: token), \(bind: form.appId),
                        \(bind: form.keys?.p256dh), \(bind: form.keys?.auth), \(bind: now))
                """).run()
            return id
        }
        return PushDevice(
            id: PushDeviceID(rawValue: id), platform: form.platform, appId: form.appId, tokenHint: String(token.suffix(6)),
            createdAt: Date(millisecondsSince1970: now))
    }

    public func list(_ caller: Principal) async throws -> [PushDevice] {
        try await env.database.sql.raw("""
            SELECT id, platform, app_id, token, created_at FROM push_devices WHERE account_id = \(bind: caller.accountID.rawValue) ORDER BY id
            """).all().map { row in
            PushDevice(
                id: PushDeviceID(rawValue: try row.decode(column: "id", as: Int64.self)),
                platform: try PushPlatform(stored: try row.decode(column: "platform", as: String.self)),
                appId: try row.decode(column: "app_id", as: String?.self), tokenHint: String(try row.decode(column: "token", as: String.self).suffix(6)),
                createdAt: Date(millisecondsSince1970: try row.decode(column: "created_at", as: Int64.self)))
        }
    }

    public func remove(_ caller: Principal, id: PushDeviceID) async throws {
        let removed = try await env.database.sql.raw("""
            DELETE FROM push_devices WHERE id = \(bind: id.rawValue) AND account_id = \(bind: caller.accountID.rawValue) RETURNING id
            """).all()
        guard !removed.isEmpty else { throw AppError.notFound("push device") }
    }
}

extension Data {
    /// Decodes base64url with or without padding, as Web Push keys come.
    init?(base64URLEncoded text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        self.init(base64Encoded: base64)
    }
}
