import EntativaModels
import Foundation

extension EntativaClient {
    /// Registers this device's public keys (make them with `DeviceKeys.generate`). Keep the
    /// answer's `deviceSecret`: the server shows it once.
    public func registerDevice(_ form: RegisterDeviceRequest) async throws -> RegisteredDevice {
        try await send("POST", "/api/v1/devices", body: form)
    }

    /// My devices, active and pending.
    public func devices() async throws -> [Device] {
        let page: Page<Device> = try await send("GET", "/api/v1/devices")
        return page.items
    }

    /// Approves a pending device with an active one's signature (`DeviceKeys.approval`).
    public func approveDevice(_ id: Int, _ form: ApproveDeviceRequest) async throws -> Device {
        try await send("POST", "/api/v1/devices/\(id)/approve", body: form)
    }

    public func removeDevice(_ id: Int) async throws {
        let _: Empty = try await send("DELETE", "/api/v1/devices/\(id)")
    }

    /// Replaces the device's signed prekey and/or adds one-time prekeys, as the device itself.
    public func uploadPreKeys(_ form: UploadPreKeysRequest, device id: Int, secret: String) async throws -> Device {
        try await send("PUT", "/api/v1/devices/\(id)/keys", body: form, headers: ["X-Device-Secret": secret])
    }

    /// Bundles of every active device of `account`, each spending one one-time prekey.
    public func preKeyBundles(of account: AccountID) async throws -> PreKeyBundles {
        try await send("GET", "/api/v1/keys/\(account)")
    }

    /// The bundle of one device of `account`.
    public func preKeyBundle(of account: AccountID, device: Int) async throws -> PreKeyBundles {
        try await send("GET", "/api/v1/keys/\(account)/\(device)")
    }
}
