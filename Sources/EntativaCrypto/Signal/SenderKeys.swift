import Crypto
import Foundation

/// One chain of a group sender's key (libsignal's `SenderKeyState`): the sender ratchets the
/// chain key once per message and signs each message with the signing key; receivers hold the
/// same chain and the public half of the signing key. Only the owner has `signingPrivateKey`.
public struct SenderKeyState: Codable, Sendable, Equatable {
    public var keyID: UInt32
    /// The iteration `chainKey` is at: the next message's.
    var iteration: UInt32
    var chainKey: [UInt8]
    var signingPublicKey: [UInt8]
    var signingPrivateKey: [UInt8]?
    /// Seeds of messages skipped on the way to a later one, kept for out-of-order arrival.
    var skipped: [SkippedSeed]

    struct SkippedSeed: Codable, Sendable, Equatable {
        var iteration: UInt32
        var seed: [UInt8]
    }

    /// libsignal's bounds: how far one message may jump ahead, and how many skipped keys stay.
    static let maxForwardJump: UInt32 = 25_000
    static let maxSkippedKeys = 2_000

    /// A new chain of my own, with a random key ID as libsignal makes them.
    public static func generate() throws -> SenderKeyState {
        let signing = try SignalKeyPair.generate()
        let random = XEdDSA.randomBytes(36)
        let keyID = random.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) } & 0x7FFF_FFFF
        return SenderKeyState(
            keyID: keyID, iteration: 0, chainKey: Array(random.suffix(32)), signingPublicKey: signing.publicKey,
            signingPrivateKey: signing.privateKey, skipped: [])
    }

    /// The seed of message `iteration` (HMAC of the chain key with 0x01) and its AES key and IV
    /// ("WhisperGroup", no salt: 16 bytes of IV, then 32 of key).
    static func messageKey(seed: [UInt8]) -> (key: [UInt8], iv: [UInt8]) {
        let derived = SignalKDF.hkdf(seed, salt: [UInt8](repeating: 0, count: 32), info: "WhisperGroup", count: 48)
        return (Array(derived[16..<48]), Array(derived[0..<16]))
    }

    /// Whether this chain is one I send on: I hold its signing key.
    public var canSend: Bool { signingPrivateKey != nil }

    /// What members need to read my messages from now on.
    public var distribution: SenderKeyDistribution {
        SenderKeyDistribution(keyID: keyID, iteration: iteration, chainKey: chainKey, signingKey: signingPublicKey)
    }
}

/// libsignal's `SenderKeyDistributionMessage`, sent to each member's devices inside a pairwise
/// session: the version byte 0x33 and a protobuf (id 1, iteration 2, chain key 3, signing key 4).
public struct SenderKeyDistribution: Sendable, Equatable {
    public var keyID: UInt32
    public var iteration: UInt32
    var chainKey: [UInt8]
    var signingKey: [UInt8]

    public var serialized: [UInt8] {
        var writer = ProtobufWriter()
        writer.varint(1, UInt64(keyID))
        writer.varint(2, UInt64(iteration))
        writer.bytes(3, chainKey)
        writer.bytes(4, SerializedKey.serialize(signingKey))
        return [SignalWire.version] + writer.bytes
    }

    init(keyID: UInt32, iteration: UInt32, chainKey: [UInt8], signingKey: [UInt8]) {
        (self.keyID, self.iteration, self.chainKey, self.signingKey) = (keyID, iteration, chainKey, signingKey)
    }

    public init(parsing bytes: [UInt8]) throws {
        guard bytes.count > 1 else { throw SignalError.malformedMessage }
        guard bytes[0] >> 4 == 3 else { throw SignalError.unsupportedVersion }
        guard let fields = try? ProtobufReader.fields(of: Array(bytes.dropFirst())), let keyID = fields.uint32(1), let iteration = fields.uint32(2), let chainKey = fields.bytes(3), chainKey.count == 32,
            let signingKey = fields.bytes(4)
        else { throw SignalError.malformedMessage }
        self.init(keyID: keyID, iteration: iteration, chainKey: chainKey, signingKey: try SerializedKey.parse(signingKey))
    }

    /// The chain as a receiver keeps it.
    public var receivingState: SenderKeyState {
        SenderKeyState(keyID: keyID, iteration: iteration, chainKey: chainKey, signingPublicKey: signingKey, signingPrivateKey: nil, skipped: [])
    }
}

/// A sender's chains as one receiver (or the sender) keeps them, newest first: a sender that
/// starts a new chain (after a member left) does not strand messages still in flight on the
/// old one. At most five, as libsignal keeps.
public struct SenderKeyRecord: Codable, Sendable, Equatable {
    public private(set) var states: [SenderKeyState]
    static let maxStates = 5

    public init(states: [SenderKeyState] = []) { self.states = Array(states.prefix(Self.maxStates)) }

    public var current: SenderKeyState? { states.first }

    /// Adds a chain; a distribution already known (same key ID) does not rewind its chain, so a
    /// replayed distribution cannot make old messages readable twice.
    public mutating func add(_ state: SenderKeyState) {
        guard !states.contains(where: { $0.keyID == state.keyID }) else { return }
        states.insert(state, at: 0)
        if states.count > Self.maxStates { states.removeLast() }
    }

    mutating func replace(_ state: SenderKeyState) {
        guard let index = states.firstIndex(where: { $0.keyID == state.keyID }) else { return }
        states[index] = state
    }
}

/// libsignal's group cipher. A `SenderKeyMessage` is the version byte, a protobuf (key id 1,
/// iteration 2, ciphertext 3: AES-256-CBC with PKCS#7) and a 64-byte XEdDSA signature over
/// both by the sender's signing key.
public enum GroupCipher {
    /// Encrypts with the record's current chain, which must be my own.
    public static func encrypt(_ plaintext: [UInt8], in record: inout SenderKeyRecord) throws -> [UInt8] {
        guard var state = record.current, let signingKey = state.signingPrivateKey else { throw SignalError.noSession }
        let (key, iv) = SenderKeyState.messageKey(seed: SignalKDF.hmac(state.chainKey, [0x01]))
        let ciphertext = try AES._CBC.encrypt(plaintext, using: SymmetricKey(data: key), iv: AES._CBC.IV(ivBytes: iv))
        var writer = ProtobufWriter()
        writer.varint(1, UInt64(state.keyID))
        writer.varint(2, UInt64(state.iteration))
        writer.bytes(3, Array(ciphertext))
        let body = [SignalWire.version] + writer.bytes
        let signature = XEdDSA.sign(body, privateKey: signingKey)
        guard state.iteration < UInt32.max else { throw SignalError.tooFarAhead }
        state.chainKey = SignalKDF.nextChain(state.chainKey)
        state.iteration += 1
        record.replace(state)
        return body + signature
    }

    /// Decrypts a member's message. The record changes only when the message is genuine: a
    /// forged, replayed or tampered one leaves it as it was.
    public static func decrypt(_ bytes: [UInt8], in record: inout SenderKeyRecord) throws -> [UInt8] {
        guard bytes.count > 1 + XEdDSA.signatureLength else { throw SignalError.malformedMessage }
        guard bytes[0] >> 4 == 3 else { throw SignalError.unsupportedVersion }
        let body = Array(bytes.dropLast(XEdDSA.signatureLength))
        guard let fields = try? ProtobufReader.fields(of: Array(body.dropFirst())), let keyID = fields.uint32(1), let iteration = fields.uint32(2),
            let ciphertext = fields.bytes(3)
        else {
            throw SignalError.malformedMessage
        }
        guard var state = record.states.first(where: { $0.keyID == keyID }) else { throw SignalError.noSession }
        guard XEdDSA.verify(Array(bytes.suffix(XEdDSA.signatureLength)), for: body, publicKey: state.signingPublicKey) else {
            throw SignalError.invalidSignature
        }
        let seed = try seed(for: iteration, in: &state)
        let (key, iv) = SenderKeyState.messageKey(seed: seed)
        guard let plaintext = try? AES._CBC.decrypt(ciphertext, using: SymmetricKey(data: key), iv: AES._CBC.IV(ivBytes: iv)) else {
            throw SignalError.malformedMessage
        }
        record.replace(state)
        return Array(plaintext)
    }

    /// The seed for `iteration`: a skipped one's (used once), or the chain advanced to it.
    static func seed(for iteration: UInt32, in state: inout SenderKeyState) throws -> [UInt8] {
        if iteration < state.iteration {
            guard let found = state.skipped.firstIndex(where: { $0.iteration == iteration }) else { throw SignalError.duplicateMessage }
            return state.skipped.remove(at: found).seed
        }
        guard iteration - state.iteration <= SenderKeyState.maxForwardJump, iteration < UInt32.max else { throw SignalError.tooFarAhead }
        while state.iteration < iteration {
            state.skipped.append(.init(iteration: state.iteration, seed: SignalKDF.hmac(state.chainKey, [0x01])))
            if state.skipped.count > SenderKeyState.maxSkippedKeys { state.skipped.removeFirst() }
            state.chainKey = SignalKDF.nextChain(state.chainKey)
            state.iteration += 1
        }
        let seed = SignalKDF.hmac(state.chainKey, [0x01])
        state.chainKey = SignalKDF.nextChain(state.chainKey)
        state.iteration += 1
        return seed
    }
}
