import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// Prekeys: a device replenishing its own, and others fetching bundles to start sessions.
public struct PreKeys: Sendable {
    let env: MessagingEnvironment

    public init(env: MessagingEnvironment) { self.env = env }

    /// Replaces the signed prekey (checked against the device's identity key) and adds
    /// one-time prekeys, up to 100 kept. Only the device itself, by its secret.
    func upload(_ form: UploadPreKeysRequest, device id: Int, secret: String?, caller: Principal) async throws -> Device {
        let device = try await Devices(env: env).authenticated(id, secret: secret, caller: caller)
        let account = caller.accountID
        var input = KeyInput()
        let identityKey = Data(base64Encoded: device.identityKey).map(Array.init)
        let signed = form.signedPreKey.flatMap { input.signedPreKey($0, identityKey: identityKey, field: "signed_pre_key") }
        let held = try await PreKeyStore.count(of: account, device: id, on: env.database.sql)
        let oneTime = input.oneTimePreKeys(form.oneTimePreKeys ?? [], room: SignalKeyFormat.maxOneTimePreKeys - held)
        try input.validate()
        let env = self.env
        try await env.database.transaction { db in
            // The room was counted outside; recount under the device's lock so racing uploads
            // cannot pass 100 together.
            try await env.database.lock("messaging.prekeys", [account.rawValue &* 128 &+ Int64(id)], on: db)
            let now = try await PreKeyStore.count(of: account, device: id, on: db)
            guard now + oneTime.count <= SignalKeyFormat.maxOneTimePreKeys else {
                throw AppError.invalid(field: "one_time_pre_keys", code: "too_many", message: "may add at most \(SignalKeyFormat.maxOneTimePreKeys - now) more")
            }
            if let signed {
                try await DeviceStore.replaceSignedPreKey(id, of: account, keyId: signed.keyId, publicKey: signed.publicKey, signature: signed.signature, on: db)
            }
            try await PreKeyStore.add(oneTime, of: account, device: id, on: db)
        }
        return try await Devices(env: env).describe(id, caller: caller)
    }

    /// Bundles of the account's active devices (or of one), each with one one-time prekey taken
    /// for good. Refused as not found when either account blocks the other or the account is
    /// not active: a blocked person learns nothing, not even that keys exist.
    func bundles(of account: AccountID, device: Int?, caller: Principal) async throws -> PreKeyBundles {
        // Counted before any work, so a burst cannot drain prekeys past the budget.
        try await env.kernel.attempts.consume(env.bundleRule, keys: ["account:\(caller.accountID)"])
        try await env.requireReachable(account, from: caller.accountID)
        let env = self.env
        let (bundles, low) = try await env.database.transaction { db -> ([PreKeyBundle], [PreKeysLow]) in
            let devices = try await DeviceStore.devices(of: account, on: db).filter { $0.isActive && (device == nil || $0.deviceId == device) }
            var bundles: [PreKeyBundle] = []
            for row in devices {
                let taken = try await PreKeyStore.take(of: account, device: row.deviceId, skipLocked: env.database.skipLocked, on: db)
                bundles.append(PreKeyBundle(
                    deviceId: row.deviceId, registrationId: row.registrationId, identityKey: row.identityKey,
                    signedPreKey: SignedPreKeyUpload(keyId: row.signedPrekeyId, publicKey: row.signedPrekey, signature: row.signedPrekeySignature),
                    oneTimePreKey: taken.map { OneTimePreKeyUpload(keyId: $0.keyId, publicKey: $0.publicKey) }))
            }
            let remaining = try await PreKeyStore.counts(of: account, on: db)
            let low = devices.map { PreKeysLow(deviceId: $0.deviceId, remaining: remaining[$0.deviceId] ?? 0) }
                .filter { $0.remaining < env.settings.lowPreKeyThreshold }
            return (bundles, low)
        }
        guard !bundles.isEmpty else { throw AppError.notFound(device == nil ? "devices" : "device") }
        for event in low { try await env.kernel.realtime.send(PreKeysLow.type, event, to: [account]) }
        return PreKeyBundles(accountId: account, devices: bundles)
    }
}
