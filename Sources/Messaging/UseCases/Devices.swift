import EntativaCore
import EntativaCrypto
import EntativaModels
import Foundation
import Identity
import SQLKit

/// An account's devices: registering one, approving a linked one, listing, removing, and a
/// device proving itself with its secret.
public struct Devices: Sendable {
    let env: MessagingEnvironment

    public init(env: MessagingEnvironment) { self.env = env }

    /// Registers a device. The account's first device is active at once; later ones wait for an
    /// active device to approve them, so a stolen password alone cannot add a reader.
    func register(_ form: RegisterDeviceRequest, caller: Principal) async throws -> RegisteredDevice {
        var input = KeyInput()
        input.validator.length(form.name, "name", max: RegisterDeviceRequest.maxNameLength, min: 1)
        input.validator.check(SignalKeyFormat.registrationIDs.contains(form.registrationId), "registration_id", "out_of_range", "must be 1–16380")
        let identityKey = input.publicKey(form.identityKey, field: "identity_key")
        let signed = input.signedPreKey(form.signedPreKey, identityKey: identityKey, field: "signed_pre_key")
        let oneTime = input.oneTimePreKeys(form.oneTimePreKeys ?? [], room: SignalKeyFormat.maxOneTimePreKeys)
        try input.validate()
        guard let identityKey, let signed else { throw AppError.invalid(field: "identity_key", code: "invalid", message: "is not a public key") }

        let secret = SecretToken.generate()
        let env = self.env
        let account = caller.accountID
        let row = try await env.database.transaction { db -> DeviceStore.Row in
            try await env.database.lock("messaging.devices", [account.rawValue], on: db)
            let existing = try await DeviceStore.devices(of: account, on: db)
            guard existing.count < env.settings.maxDevices else {
                throw AppError.conflict("An account has at most \(env.settings.maxDevices) devices; remove one first.", code: "too_many_devices")
            }
            let taken = Set(existing.map(\.deviceId))
            guard let id = SignalKeyFormat.deviceIDs.first(where: { !taken.contains($0) }) else {
                throw AppError.conflict("No device ID is free.", code: "too_many_devices")
            }
            let row = DeviceStore.Row(
                accountId: account.rawValue, deviceId: id, name: form.name, registrationId: form.registrationId,
                identityKey: Data(identityKey).base64EncodedString(), signedPrekeyId: signed.keyId, signedPrekey: signed.publicKey,
                signedPrekeySignature: signed.signature, secretHash: SecretToken.digest(secret), approvedAt: existing.isEmpty ? env.now : nil,
                createdAt: env.now)
            try await DeviceStore.insert(row, on: db)
            try await PreKeyStore.add(oneTime, of: account, device: id, on: db)
            return row
        }
        return RegisteredDevice(device: Self.device(row, oneTimePreKeys: oneTime.count), deviceSecret: secret)
    }

    func list(caller: Principal) async throws -> [Device] {
        let db = env.database.sql
        let rows = try await DeviceStore.devices(of: caller.accountID, on: db)
        let counts = try await PreKeyStore.counts(of: caller.accountID, on: db)
        return rows.map { Self.device($0, oneTimePreKeys: counts[$0.deviceId] ?? 0) }
    }

    /// One of my devices as the API shows it, with its one-time prekeys counted.
    func describe(_ id: Int, caller: Principal) async throws -> Device {
        let db = env.database.sql
        guard let row = try await DeviceStore.device(id, of: caller.accountID, on: db) else { throw AppError.notFound("device") }
        return Self.device(row, oneTimePreKeys: try await PreKeyStore.count(of: caller.accountID, device: id, on: db))
    }

    /// An active device approves a pending one by signing `DeviceLink.message` with its
    /// identity key: proof that someone holding that device agreed, not just a session.
    func approve(_ id: Int, _ form: ApproveDeviceRequest, caller: Principal) async throws -> Device {
        let account = caller.accountID
        let db = env.database.sql
        guard let pending = try await DeviceStore.device(id, of: account, on: db) else { throw AppError.notFound("device") }
        guard !pending.isActive else { throw AppError.conflict("The device is already active.", code: "already_active") }
        var input = KeyInput()
        let signature = input.signature(form.signature, field: "signature")
        try input.validate()
        guard let approver = try await DeviceStore.device(form.approverDeviceId, of: account, on: db), approver.isActive,
            let approverKey = Data(base64Encoded: approver.identityKey), let pendingKey = Data(base64Encoded: pending.identityKey),
            let signature
        else {
            throw AppError.invalid(field: "approver_device_id", code: "not_active", message: "must be an active device of this account")
        }
        let message = DeviceLink.message(account: account, device: id, identityKey: Array(pendingKey))
        guard XEdDSA.verify(signature, for: message, publicKey: approverKey.dropFirst()) else {
            throw AppError.invalid(field: "signature", code: "invalid_signature", message: "is not the approving device's signature over the link")
        }
        guard try await env.database.transaction({ db in try await DeviceStore.approve(id, of: account, now: env.now, on: db) }) else {
            throw AppError.notFound("device")
        }
        return try await describe(id, caller: caller)
    }

    /// Any session of the account may remove a device: a lost phone must be removable from
    /// another one. Its prekeys go with it.
    func remove(_ id: Int, caller: Principal) async throws {
        let removed = try await env.database.transaction { db in try await DeviceStore.delete(id, of: caller.accountID, on: db) }
        guard removed else { throw AppError.notFound("device") }
    }

    /// The device, when `secret` is its secret; otherwise 404 (another account's device, or a
    /// wrong secret, say nothing more).
    func authenticated(_ id: Int, secret: String?, caller: Principal) async throws -> DeviceStore.Row {
        guard let secret, secret.utf8.count <= 100,
            let row = try await DeviceStore.device(id, of: caller.accountID, on: env.database.sql),
            ConstantTime.equal(SecretToken.digest(secret).utf8, row.secretHash.utf8)
        else { throw AppError.notFound("device") }
        return row
    }

    static func device(_ row: DeviceStore.Row, oneTimePreKeys: Int) -> Device {
        Device(
            id: row.deviceId, name: row.name, registrationId: row.registrationId, identityKey: row.identityKey,
            status: row.isActive ? .active : .pending, signedPreKeyId: row.signedPrekeyId, oneTimePreKeys: oneTimePreKeys,
            createdAt: Date(millisecondsSince1970: row.createdAt))
    }
}
