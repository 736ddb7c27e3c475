import Foundation

/// One device a group message goes to, with the registration ID the sender's session knows.
public struct DeviceAddress: Codable, Sendable, Equatable, Hashable {
    public var accountId: AccountID
    public var deviceId: Int
    public var registrationId: Int

    public init(accountId: AccountID, deviceId: Int, registrationId: Int) {
        self.accountId = accountId
        self.deviceId = deviceId
        self.registrationId = registrationId
    }
}

/// A message to a group conversation. Either or both of:
/// - `payload`, a SenderKeyMessage encrypted once for the whole group, with `devices` naming
///   every device it must reach (every active device of the group's members and my other
///   active devices): the server stores it once and gives each device an envelope pointing to it;
/// - `envelopes`, pairwise ciphertext for some members' devices (a Sender Key distribution to
///   devices that lack mine, or a whole message in a small group without Sender Keys).
public struct GroupMessageRequest: Codable, Sendable {
    /// Devices one payload may address at most: the largest group a deployment may allow, with
    /// the most devices it may allow each (the deployment's own settings bound it lower).
    public static let maxDevices = 1_500 * 16
    public static let maxEnvelopes = 100
    public var payload: String?
    public var devices: [DeviceAddress]?
    public var envelopes: [OutgoingEnvelope]?

    public init(payload: String? = nil, devices: [DeviceAddress]? = nil, envelopes: [OutgoingEnvelope]? = nil) {
        self.payload = payload
        self.devices = devices
        self.envelopes = envelopes
    }
}
