import EntativaModels
import Foundation

extension EntativaClient {
    /// Every notification type with its default channels; one complete page.
    public func notificationTypes() async throws -> Page<NotificationTypeInfo> {
        try await send("GET", "/api/v1/notifications/types")
    }

    /// Registers this device (APNs, FCM) or browser subscription (Web Push) for push.
    public func registerPushDevice(_ form: RegisterPushDeviceRequest) async throws -> PushDevice {
        try await send("POST", "/api/v1/push/devices", body: form)
    }

    /// My push devices (at most 20); one complete page.
    public func pushDevices() async throws -> Page<PushDevice> {
        try await send("GET", "/api/v1/push/devices")
    }

    public func removePushDevice(_ id: PushDeviceID) async throws {
        _ = try await send("DELETE", "/api/v1/push/devices/\(id)", as: Empty.self)
    }

    /// The Web Push application server key, for `PushManager.subscribe`.
    public func vapidKey() async throws -> VAPIDPublicKey {
        try await send("GET", "/api/v1/push/vapid_key", auth: .none)
    }
}
