import EntativaCrypto
import EntativaModels
import Foundation

/// A device's key material as the Signal protocol needs it: an identity key pair, a signed
/// prekey and one-time prekeys. The private halves stay on the device; `registration` and
/// `upload` carry only public keys to the server.
public struct DeviceKeys: Codable, Sendable {
    public struct PreKey: Codable, Sendable {
        public var id: Int
        public var privateKey: [UInt8]
        public var publicKey: [UInt8]

        /// libsignal's 33-byte serialization, base64.
        public var serializedPublicKey: String { DeviceKeys.serialize(publicKey) }

        static func generate(id: Int) throws -> PreKey {
            let privateKey = X25519Keys.generatePrivateKey()
            return PreKey(id: id, privateKey: privateKey, publicKey: try X25519Keys.publicKey(of: privateKey))
        }
    }

    public var registrationId: Int
    public var identity: PreKey
    public var signedPreKey: PreKey
    public var signedPreKeySignature: [UInt8]
    public var oneTimePreKeys: [PreKey]

    /// New keys: a random registration ID, identity and signed prekey, and `oneTimePreKeys`
    /// one-time prekeys numbered from `firstPreKeyID`.
    public static func generate(oneTimePreKeys: Int = 100, firstPreKeyID: Int = 1) throws -> DeviceKeys {
        let identity = try PreKey.generate(id: 0)
        let signed = try PreKey.generate(id: Int.random(in: SignalKeyFormat.preKeyIDs))
        return DeviceKeys(
            registrationId: Int.random(in: SignalKeyFormat.registrationIDs), identity: identity, signedPreKey: signed,
            signedPreKeySignature: XEdDSA.sign(serializedBytes(signed.publicKey), privateKey: identity.privateKey),
            oneTimePreKeys: try (0..<oneTimePreKeys).map { try PreKey.generate(id: firstPreKeyID + $0) })
    }

    /// What `registerDevice` sends.
    public func registration(name: String) -> RegisterDeviceRequest {
        RegisterDeviceRequest(
            name: name, registrationId: registrationId, identityKey: identity.serializedPublicKey, signedPreKey: signedPreKeyUpload,
            oneTimePreKeys: oneTimePreKeys.map { OneTimePreKeyUpload(keyId: $0.id, publicKey: $0.serializedPublicKey) })
    }

    public var signedPreKeyUpload: SignedPreKeyUpload {
        SignedPreKeyUpload(
            keyId: signedPreKey.id, publicKey: signedPreKey.serializedPublicKey, signature: Data(signedPreKeySignature).base64EncodedString())
    }

    /// This (active) device's approval of the pending device `device`.
    public func approval(of device: Device, account: AccountID, approverDeviceId: Int) -> ApproveDeviceRequest {
        let pendingKey = Array(Data(base64Encoded: device.identityKey) ?? Data())
        let message = DeviceLink.message(account: account, device: device.id, identityKey: pendingKey)
        return ApproveDeviceRequest(
            approverDeviceId: approverDeviceId, signature: Data(XEdDSA.sign(message, privateKey: identity.privateKey)).base64EncodedString())
    }

    static func serializedBytes(_ publicKey: [UInt8]) -> [UInt8] { [SignalKeyFormat.publicKeyType] + publicKey }
    static func serialize(_ publicKey: [UInt8]) -> String { Data(serializedBytes(publicKey)).base64EncodedString() }
}
