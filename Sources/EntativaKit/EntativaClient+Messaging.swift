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

extension EntativaClient {
    /// Sends `form` from device `device` (proven by its secret). Every envelope is stored before
    /// the answer. A 409 problem names each missing, extra or stale device as a field error
    /// `devices.<account_id>.<device_id>`.
    public func sendMessage(_ form: SendMessageRequest, from device: Int, secret: String, idempotencyKey: String? = nil) async throws -> SentMessage {
        try await send(
            "POST", "/api/v1/messages", body: form, idempotencyKey: idempotencyKey, headers: Self.deviceHeaders(device, secret))
    }

    /// Sends to a group: a Sender Key payload for every device of its members and of mine,
    /// and/or pairwise envelopes (distributions) to some of them.
    public func sendGroupMessage(
        _ form: GroupMessageRequest, to conversation: ConversationID, from device: Int, secret: String, idempotencyKey: String? = nil
    ) async throws -> SentMessage {
        try await send(
            "POST", "/api/v1/conversations/\(conversation)/messages", body: form, idempotencyKey: idempotencyKey, headers: Self.deviceHeaders(device, secret))
    }

    /// Envelopes waiting for device `device`, oldest first.
    public func envelopes(for device: Int, secret: String, cursor: String? = nil, limit: Int? = nil) async throws -> Page<Envelope> {
        try await send("GET", "/api/v1/messages", query: Self.pageQuery(cursor: cursor, limit: limit), headers: Self.deviceHeaders(device, secret))
    }

    /// Tells the server device `device` has these envelopes, which deletes them there.
    public func acknowledgeEnvelopes(_ ids: [EnvelopeID], for device: Int, secret: String) async throws {
        let _: Empty = try await send(
            "POST", "/api/v1/messages/acknowledge", body: AcknowledgeEnvelopesRequest(ids: ids), headers: Self.deviceHeaders(device, secret))
    }

    static func deviceHeaders(_ device: Int, _ secret: String) -> [String: String] {
        ["X-Device-ID": String(device), "X-Device-Secret": secret]
    }
}

extension EntativaClient {
    /// Time-limited credentials for the server's TURN relays, for a call's ICE configuration.
    public func turnCredentials() async throws -> TurnCredentials {
        try await send("GET", "/api/v1/calls/turn")
    }
}
