/// libsignal's version-3 wire messages: a version byte (0x33), a protobuf, and for a
/// SignalMessage an 8-byte MAC over both identity keys and the rest.
public enum SignalWire {
    static let version: UInt8 = 0x33
    static let macLength = 8
}

/// A message inside an established session (libsignal's `SignalMessage`, type 2).
struct SignalMessage: Equatable {
    var ratchetKey: [UInt8]
    var counter: UInt32
    var previousCounter: UInt32
    var ciphertext: [UInt8]
    /// The version byte and protobuf, as sent: what the MAC covers.
    var body: [UInt8]
    var mac: [UInt8]

    static func make(
        ratchetKey: [UInt8], counter: UInt32, previousCounter: UInt32, ciphertext: [UInt8], macKey: [UInt8], senderIdentity: [UInt8],
        receiverIdentity: [UInt8]
    ) -> SignalMessage {
        var writer = ProtobufWriter()
        writer.bytes(1, SerializedKey.serialize(ratchetKey))
        writer.varint(2, UInt64(counter))
        writer.varint(3, UInt64(previousCounter))
        writer.bytes(4, ciphertext)
        let body = [SignalWire.version] + writer.bytes
        let mac = computeMAC(body, macKey: macKey, sender: senderIdentity, receiver: receiverIdentity)
        return SignalMessage(ratchetKey: ratchetKey, counter: counter, previousCounter: previousCounter, ciphertext: ciphertext, body: body, mac: mac)
    }

    var serialized: [UInt8] { body + mac }

    init(ratchetKey: [UInt8], counter: UInt32, previousCounter: UInt32, ciphertext: [UInt8], body: [UInt8], mac: [UInt8]) {
        (self.ratchetKey, self.counter, self.previousCounter, self.ciphertext, self.body, self.mac) =
            (ratchetKey, counter, previousCounter, ciphertext, body, mac)
    }

    init(parsing bytes: [UInt8]) throws {
        guard bytes.count > 1 + SignalWire.macLength else { throw SignalError.malformedMessage }
        guard bytes[0] >> 4 == 3 else { throw SignalError.unsupportedVersion }
        let body = Array(bytes.dropLast(SignalWire.macLength))
        let fields = try ProtobufReader.fields(of: Array(body.dropFirst()))
        guard let key = fields.bytes(1), let counter = fields.uint32(2), let ciphertext = fields.bytes(4) else { throw SignalError.malformedMessage }
        self.init(
            ratchetKey: try SerializedKey.parse(key), counter: counter, previousCounter: fields.uint32(3) ?? 0, ciphertext: ciphertext, body: body,
            mac: Array(bytes.suffix(SignalWire.macLength)))
    }

    func verifyMAC(macKey: [UInt8], sender: [UInt8], receiver: [UInt8]) -> Bool {
        let expected = Self.computeMAC(body, macKey: macKey, sender: sender, receiver: receiver)
        return ConstantTime.equal(expected, mac)
    }

    /// HMAC-SHA256 over the sender's and receiver's serialized identity keys and the body, cut to 8 bytes.
    static func computeMAC(_ body: [UInt8], macKey: [UInt8], sender: [UInt8], receiver: [UInt8]) -> [UInt8] {
        Array(SignalKDF.hmac(macKey, SerializedKey.serialize(sender) + SerializedKey.serialize(receiver) + body).prefix(SignalWire.macLength))
    }
}

/// The first messages of a session, carrying what X3DH needs (libsignal's
/// `PreKeySignalMessage`, type 3). Not MACed itself: its inner SignalMessage is.
struct PreKeySignalMessage: Equatable {
    var registrationID: UInt32
    var preKeyID: UInt32?
    var signedPreKeyID: UInt32
    var baseKey: [UInt8]
    var identityKey: [UInt8]
    var message: SignalMessage

    var serialized: [UInt8] {
        var writer = ProtobufWriter()
        if let preKeyID { writer.varint(1, UInt64(preKeyID)) }
        writer.bytes(2, SerializedKey.serialize(baseKey))
        writer.bytes(3, SerializedKey.serialize(identityKey))
        writer.bytes(4, message.serialized)
        writer.varint(5, UInt64(registrationID))
        writer.varint(6, UInt64(signedPreKeyID))
        return [SignalWire.version] + writer.bytes
    }

    init(registrationID: UInt32, preKeyID: UInt32?, signedPreKeyID: UInt32, baseKey: [UInt8], identityKey: [UInt8], message: SignalMessage) {
        (self.registrationID, self.preKeyID, self.signedPreKeyID, self.baseKey, self.identityKey, self.message) =
            (registrationID, preKeyID, signedPreKeyID, baseKey, identityKey, message)
    }

    init(parsing bytes: [UInt8]) throws {
        guard bytes.count > 1 else { throw SignalError.malformedMessage }
        guard bytes[0] >> 4 == 3 else { throw SignalError.unsupportedVersion }
        let fields = try ProtobufReader.fields(of: Array(bytes.dropFirst()))
        guard let signed = fields.uint32(6), let base = fields.bytes(2), let identity = fields.bytes(3), let inner = fields.bytes(4) else {
            throw SignalError.malformedMessage
        }
        self.init(
            registrationID: fields.uint32(5) ?? 0, preKeyID: fields.uint32(1), signedPreKeyID: signed, baseKey: try SerializedKey.parse(base),
            identityKey: try SerializedKey.parse(identity), message: try SignalMessage(parsing: inner))
    }
}
