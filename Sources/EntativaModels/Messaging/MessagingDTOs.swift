import Foundation

/// Keys travel as standard base64 of libsignal's serialization: a public key is 33 bytes (the
/// type byte 0x05, then the X25519 key), a signature 64 bytes.
public enum SignalKeyFormat {
    public static let publicKeyType: UInt8 = 0x05
    public static let publicKeyBytes = 33
    public static let signatureBytes = 64
    /// Registration IDs are 14-bit, as libsignal makes them.
    public static let registrationIDs = 1...16_380
    /// Prekey IDs are 24-bit, as Signal's clients make them.
    public static let preKeyIDs = 1...16_777_215
    public static let maxOneTimePreKeys = 100
    public static let deviceIDs = 1...127
}

public struct SignedPreKeyUpload: Codable, Sendable, Equatable {
    public var keyId: Int
    public var publicKey: String
    /// XEdDSA signature by the device's identity key over the 33-byte public key.
    public var signature: String

    public init(keyId: Int, publicKey: String, signature: String) {
        self.keyId = keyId
        self.publicKey = publicKey
        self.signature = signature
    }
}

public struct OneTimePreKeyUpload: Codable, Sendable, Equatable {
    public var keyId: Int
    public var publicKey: String

    public init(keyId: Int, publicKey: String) {
        self.keyId = keyId
        self.publicKey = publicKey
    }
}

public struct RegisterDeviceRequest: Codable, Sendable {
    public static let maxNameLength = 64
    public var name: String
    public var registrationId: Int
    public var identityKey: String
    public var signedPreKey: SignedPreKeyUpload
    public var oneTimePreKeys: [OneTimePreKeyUpload]?

    public init(name: String, registrationId: Int, identityKey: String, signedPreKey: SignedPreKeyUpload, oneTimePreKeys: [OneTimePreKeyUpload]?) {
        self.name = name
        self.registrationId = registrationId
        self.identityKey = identityKey
        self.signedPreKey = signedPreKey
        self.oneTimePreKeys = oneTimePreKeys
    }
}

public enum DeviceStatus: String, Codable, Sendable, CaseIterable {
    /// Receives messages and serves prekey bundles.
    case active
    /// Registered by an account that already had a device, and waiting for one of them to approve it.
    case pending
}

public struct Device: Codable, Sendable, Equatable {
    public var id: Int
    public var name: String
    public var registrationId: Int
    public var identityKey: String
    public var status: DeviceStatus
    public var signedPreKeyId: Int
    /// One-time prekeys left on the server.
    public var oneTimePreKeys: Int
    public var createdAt: Date

    public init(
        id: Int, name: String, registrationId: Int, identityKey: String, status: DeviceStatus, signedPreKeyId: Int, oneTimePreKeys: Int,
        createdAt: Date
    ) {
        self.id = id
        self.name = name
        self.registrationId = registrationId
        self.identityKey = identityKey
        self.status = status
        self.signedPreKeyId = signedPreKeyId
        self.oneTimePreKeys = oneTimePreKeys
        self.createdAt = createdAt
    }
}

/// A new device and the secret it proves itself with (`X-Device-Secret`). The server keeps only
/// a hash: the secret is shown this once.
public struct RegisteredDevice: Codable, Sendable {
    public var device: Device
    public var deviceSecret: String

    public init(device: Device, deviceSecret: String) {
        self.device = device
        self.deviceSecret = deviceSecret
    }
}

/// An active device vouching for a pending one: its identity key's XEdDSA signature over
/// `DeviceLink.message(account:device:identityKey:)`.
public struct ApproveDeviceRequest: Codable, Sendable {
    public var approverDeviceId: Int
    public var signature: String

    public init(approverDeviceId: Int, signature: String) {
        self.approverDeviceId = approverDeviceId
        self.signature = signature
    }
}

public enum DeviceLink {
    /// What an approving device signs: a fixed label, the account, the new device's ID and its
    /// serialized identity key, so an approval cannot be replayed for another account, slot or key.
    public static func message(account: AccountID, device: Int, identityKey: [UInt8]) -> [UInt8] {
        var bytes = Array("Entativa device link v1".utf8)
        withUnsafeBytes(of: account.rawValue.bigEndian) { bytes += $0 }
        withUnsafeBytes(of: UInt32(device).bigEndian) { bytes += $0 }
        return bytes + identityKey
    }
}

public struct UploadPreKeysRequest: Codable, Sendable {
    public var signedPreKey: SignedPreKeyUpload?
    public var oneTimePreKeys: [OneTimePreKeyUpload]?

    public init(signedPreKey: SignedPreKeyUpload? = nil, oneTimePreKeys: [OneTimePreKeyUpload]? = nil) {
        self.signedPreKey = signedPreKey
        self.oneTimePreKeys = oneTimePreKeys
    }
}

/// What a sender needs to start a session with one device (X3DH).
public struct PreKeyBundle: Codable, Sendable, Equatable {
    public var deviceId: Int
    public var registrationId: Int
    public var identityKey: String
    public var signedPreKey: SignedPreKeyUpload
    /// Nil when the device has none left: X3DH then runs without it.
    public var oneTimePreKey: OneTimePreKeyUpload?

    public init(deviceId: Int, registrationId: Int, identityKey: String, signedPreKey: SignedPreKeyUpload, oneTimePreKey: OneTimePreKeyUpload?) {
        self.deviceId = deviceId
        self.registrationId = registrationId
        self.identityKey = identityKey
        self.signedPreKey = signedPreKey
        self.oneTimePreKey = oneTimePreKey
    }
}

public struct PreKeyBundles: Codable, Sendable, Equatable {
    public var accountId: AccountID
    public var devices: [PreKeyBundle]

    public init(accountId: AccountID, devices: [PreKeyBundle]) {
        self.accountId = accountId
        self.devices = devices
    }
}

/// The realtime event a device's owner gets when its one-time prekeys run low.
public struct PreKeysLow: Codable, Sendable, Equatable {
    public static let type = "prekeys_low"
    public var deviceId: Int
    public var remaining: Int

    public init(deviceId: Int, remaining: Int) {
        self.deviceId = deviceId
        self.remaining = remaining
    }
}

/// Characters of padded base64 for `count` bytes.
func base64Length(ofBytes count: Int) -> Int { (count + 2) / 3 * 4 }

public enum EnvelopeEntity {}
public typealias EnvelopeID = Identifier<EnvelopeEntity>

/// What kind of ciphertext an envelope carries, as libsignal names them.
public enum EnvelopeType: String, Codable, Sendable, CaseIterable {
    /// A PreKeySignalMessage: the first message of a session, carrying the X3DH keys.
    case prekey
    /// A SignalMessage inside an established session.
    case message
    /// A SenderKeyMessage: a group message encrypted once for every member (only the server
    /// sets it, on the envelopes of a group send's shared payload).
    case senderKey = "sender_key"

    /// What a sender may put on a device's own envelope.
    public static let pairwise: [EnvelopeType] = [.prekey, .message]
}

/// One device's copy of a message, encrypted for it alone.
public struct OutgoingEnvelope: Codable, Sendable, Equatable {
    /// Ciphertext per device, in bytes (before base64).
    public static let maxContentBytes = 256 * 1024
    /// `maxContentBytes` as padded base64 characters.
    public static let maxContentLength = base64Length(ofBytes: maxContentBytes)
    public var accountId: AccountID
    public var deviceId: Int
    /// The device's registration ID as the sender's session knows it: a different one means the
    /// device was replaced, and the sender must fetch its new keys.
    public var registrationId: Int
    public var type: EnvelopeType
    /// Base64 of the ciphertext.
    public var content: String

    public init(accountId: AccountID, deviceId: Int, registrationId: Int, type: EnvelopeType, content: String) {
        self.accountId = accountId
        self.deviceId = deviceId
        self.registrationId = registrationId
        self.type = type
        self.content = content
    }
}

/// A message to one account: an envelope for each of its active devices and for each of the
/// sender's other active devices.
public struct SendMessageRequest: Codable, Sendable {
    public static let maxEnvelopes = 16
    public var recipientId: AccountID
    public var envelopes: [OutgoingEnvelope]

    public init(recipientId: AccountID, envelopes: [OutgoingEnvelope]) {
        self.recipientId = recipientId
        self.envelopes = envelopes
    }
}

public struct StoredEnvelope: Codable, Sendable, Equatable {
    public var accountId: AccountID
    public var deviceId: Int
    public var id: EnvelopeID

    public init(accountId: AccountID, deviceId: Int, id: EnvelopeID) {
        self.accountId = accountId
        self.deviceId = deviceId
        self.id = id
    }
}

/// The answer to a send: every envelope is stored (durably) before it comes.
public struct SentMessage: Codable, Sendable, Equatable {
    public var conversationId: ConversationID?
    public var sentAt: Date
    public var envelopes: [StoredEnvelope]

    public init(conversationId: ConversationID?, sentAt: Date, envelopes: [StoredEnvelope]) {
        self.conversationId = conversationId
        self.sentAt = sentAt
        self.envelopes = envelopes
    }
}

/// An envelope waiting for the device it was encrypted for.
public struct Envelope: Codable, Sendable, Equatable {
    public var id: EnvelopeID
    /// Nil for envelopes sent before conversations existed.
    public var conversationId: ConversationID?
    public var senderId: AccountID
    public var senderDeviceId: Int
    public var type: EnvelopeType
    public var content: String
    public var sentAt: Date
    /// The story this message replies to (its text stays encrypted in `content`).
    public var storyId: StoryID?

    public init(
        id: EnvelopeID, conversationId: ConversationID?, senderId: AccountID, senderDeviceId: Int, type: EnvelopeType, content: String, sentAt: Date,
        storyId: StoryID? = nil
    ) {
        self.id = id
        self.conversationId = conversationId
        self.senderId = senderId
        self.senderDeviceId = senderDeviceId
        self.type = type
        self.content = content
        self.sentAt = sentAt
        self.storyId = storyId
    }
}

/// The realtime event `envelope`: for one device of the account; the envelope itself when it is
/// small, otherwise only its ID, to fetch.
public struct EnvelopeArrived: Codable, Sendable, Equatable {
    public static let type = "envelope"
    /// Envelopes up to this many content bytes ride in the event.
    public static let inlineContentBytes = 4_096
    public static let inlineContentLength = base64Length(ofBytes: inlineContentBytes)
    public var deviceId: Int
    public var id: EnvelopeID
    public var envelope: Envelope?

    public init(deviceId: Int, id: EnvelopeID, envelope: Envelope?) {
        self.deviceId = deviceId
        self.id = id
        self.envelope = envelope
    }
}

public struct AcknowledgeEnvelopesRequest: Codable, Sendable {
    public static let maxIDs = 100
    public var ids: [EnvelopeID]

    public init(ids: [EnvelopeID]) { self.ids = ids }
}

/// A call-signalling frame a client sends (`call.offer`, `call.answer`, `call.ice`,
/// `call.hangup`, `call.busy`) for another account's sockets.
public struct CallSignalRequest: Codable, Sendable {
    public static let maxCallIDLength = 64
    /// Room for an SDP offer with its candidates inside one relayed frame.
    public static let maxDataBytes = 5_000
    public var to: AccountID
    public var callId: String
    public var data: String?

    public init(to: AccountID, callId: String, data: String?) {
        self.to = to
        self.callId = callId
        self.data = data
    }
}

/// What the recipient's sockets get, under the same type.
public struct CallSignal: Codable, Sendable, Equatable {
    public var from: AccountID
    public var callId: String
    public var data: String?

    public init(from: AccountID, callId: String, data: String?) {
        self.from = from
        self.callId = callId
        self.data = data
    }
}

public struct TypingRequest: Codable, Sendable {
    public var to: AccountID
    public var typing: Bool

    public init(to: AccountID, typing: Bool) {
        self.to = to
        self.typing = typing
    }
}

public struct TypingSignal: Codable, Sendable, Equatable {
    public var from: AccountID
    public var typing: Bool

    public init(from: AccountID, typing: Bool) {
        self.from = from
        self.typing = typing
    }
}

/// Time-limited TURN credentials (the TURN REST scheme coturn's `use-auth-secret` checks).
public struct TurnCredentials: Codable, Sendable, Equatable {
    /// `<expiry in Unix seconds>:<account id>`.
    public var username: String
    /// Base64 of HMAC-SHA1 over the username, keyed with the shared secret.
    public var password: String
    public var ttl: Int
    public var uris: [String]

    public init(username: String, password: String, ttl: Int, uris: [String]) {
        self.username = username
        self.password = password
        self.ttl = ttl
        self.uris = uris
    }
}
