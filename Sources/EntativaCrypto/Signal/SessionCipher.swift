import Crypto
import Foundation
import _CryptoExtras

/// What a device publishes so others can start sessions with it (X3DH), with the private
/// halves only on the device itself.
public struct SignalIdentity: Codable, Sendable {
    public var identity: SignalKeyPair
    public var registrationID: UInt32

    public init(identity: SignalKeyPair, registrationID: UInt32) {
        self.identity = identity
        self.registrationID = registrationID
    }
}

/// The other device's published keys, as a prekey bundle carries them (raw 32-byte keys).
public struct RemoteBundle: Sendable {
    public var registrationID: UInt32
    public var identityKey: [UInt8]
    public var signedPreKeyID: UInt32
    public var signedPreKey: [UInt8]
    public var signedPreKeySignature: [UInt8]
    public var preKeyID: UInt32?
    public var preKey: [UInt8]?

    public init(
        registrationID: UInt32, identityKey: [UInt8], signedPreKeyID: UInt32, signedPreKey: [UInt8], signedPreKeySignature: [UInt8],
        preKeyID: UInt32?, preKey: [UInt8]?
    ) {
        (self.registrationID, self.identityKey, self.signedPreKeyID, self.signedPreKey, self.signedPreKeySignature, self.preKeyID, self.preKey) =
            (registrationID, identityKey, signedPreKeyID, signedPreKey, signedPreKeySignature, preKeyID, preKey)
    }
}

/// A ciphertext ready to send: its libsignal type (3 for the first messages, 2 after) and bytes.
public struct SignalCiphertext: Sendable, Equatable {
    public enum Kind: Int, Sendable {
        case message = 2
        case preKey = 3
    }

    public var kind: Kind
    public var bytes: [UInt8]

    public init(kind: Kind, bytes: [UInt8]) {
        self.kind = kind
        self.bytes = bytes
    }
}

/// X3DH and the Double Ratchet as libsignal computes them, over `SignalSession` values.
public enum SessionCipher {
    // MARK: Starting a session

    /// Alice's side of X3DH: a session with the device whose bundle this is, after checking
    /// that its identity key signed its signed prekey.
    public static func start(with bundle: RemoteBundle, as local: SignalIdentity) throws -> SignalSession {
        guard XEdDSA.verify(bundle.signedPreKeySignature, for: SerializedKey.serialize(bundle.signedPreKey), publicKey: bundle.identityKey) else {
            throw SignalError.invalidSignature
        }
        let base = try SignalKeyPair.generate()
        let sending = try SignalKeyPair.generate()
        var secrets = [UInt8](repeating: 0xFF, count: 32)
        secrets += try X25519Keys.agreement(privateKey: local.identity.privateKey, publicKey: bundle.signedPreKey)
        secrets += try X25519Keys.agreement(privateKey: base.privateKey, publicKey: bundle.identityKey)
        secrets += try X25519Keys.agreement(privateKey: base.privateKey, publicKey: bundle.signedPreKey)
        if let preKey = bundle.preKey { secrets += try X25519Keys.agreement(privateKey: base.privateKey, publicKey: preKey) }
        let (root, chain) = SignalKDF.initialKeys(secrets)
        let (sendingRoot, sendingChain) = try SignalKDF.ratchet(root: root, theirs: bundle.signedPreKey, ours: sending.privateKey)
        var session = SignalSession(
            localIdentity: local.identity.publicKey, remoteIdentity: bundle.identityKey, localRegistrationID: local.registrationID,
            remoteRegistrationID: bundle.registrationID, rootKey: sendingRoot, senderRatchet: sending, senderChainKey: sendingChain, senderIndex: 0,
            previousCounter: 0, receiverChains: [],
            pending: SignalSession.PendingPreKey(preKeyID: bundle.preKey == nil ? nil : bundle.preKeyID, signedPreKeyID: bundle.signedPreKeyID, baseKey: base.publicKey),
            aliceBaseKey: base.publicKey)
        session.addReceiverChain(bundle.signedPreKey, chainKey: chain)
        return session
    }

    /// The private prekeys a device holds, for answering first messages.
    public struct LocalPreKeys: Sendable {
        public var signed: [UInt32: SignalKeyPair]
        public var oneTime: [UInt32: SignalKeyPair]

        public init(signed: [UInt32: SignalKeyPair], oneTime: [UInt32: SignalKeyPair]) {
            self.signed = signed
            self.oneTime = oneTime
        }
    }

    /// Bob's side: reads a first message, starting the session it carries (or continuing it,
    /// when the sender repeats a first message before hearing back), and decrypts it. The
    /// one-time prekey it used is returned, for the caller to delete.
    public static func receiveFirst(
        _ bytes: [UInt8], existing: SignalSession?, as local: SignalIdentity, preKeys: LocalPreKeys, trusted: [UInt8]? = nil
    ) throws -> (session: SignalSession, plaintext: [UInt8], usedPreKey: UInt32?) {
        let message = try PreKeySignalMessage(parsing: bytes)
        if let trusted, trusted != message.identityKey { throw SignalError.untrustedIdentity }
        var session: SignalSession
        var used: UInt32?
        if let existing, existing.aliceBaseKey == message.baseKey {
            session = existing
        } else {
            guard let signed = preKeys.signed[message.signedPreKeyID] else { throw SignalError.unknownPreKey }
            var oneTime: SignalKeyPair?
            if let id = message.preKeyID {
                guard let found = preKeys.oneTime[id] else { throw SignalError.unknownPreKey }
                oneTime = found
                used = id
            }
            var secrets = [UInt8](repeating: 0xFF, count: 32)
            secrets += try X25519Keys.agreement(privateKey: signed.privateKey, publicKey: message.identityKey)
            secrets += try X25519Keys.agreement(privateKey: local.identity.privateKey, publicKey: message.baseKey)
            secrets += try X25519Keys.agreement(privateKey: signed.privateKey, publicKey: message.baseKey)
            if let oneTime { secrets += try X25519Keys.agreement(privateKey: oneTime.privateKey, publicKey: message.baseKey) }
            let (root, chain) = SignalKDF.initialKeys(secrets)
            session = SignalSession(
                localIdentity: local.identity.publicKey, remoteIdentity: message.identityKey, localRegistrationID: local.registrationID,
                remoteRegistrationID: message.registrationID, rootKey: root, senderRatchet: signed, senderChainKey: chain, senderIndex: 0,
                previousCounter: 0, receiverChains: [], pending: nil, aliceBaseKey: message.baseKey)
        }
        let plaintext = try decrypt(message.message, in: &session)
        return (session, plaintext, used)
    }

    // MARK: Messages

    /// Encrypts for the session's device, advancing its sending chain.
    public static func encrypt(_ plaintext: [UInt8], in session: inout SignalSession) throws -> SignalCiphertext {
        let keys = SignalKDF.messageKeys(chain: session.senderChainKey, counter: session.senderIndex)
        let ciphertext = try AES._CBC.encrypt(plaintext, using: SymmetricKey(data: keys.cipherKey), iv: AES._CBC.IV(ivBytes: keys.iv))
        let message = SignalMessage.make(
            ratchetKey: session.senderRatchet.publicKey, counter: session.senderIndex, previousCounter: session.previousCounter,
            ciphertext: Array(ciphertext), macKey: keys.macKey, senderIdentity: session.localIdentity, receiverIdentity: session.remoteIdentity)
        session.senderChainKey = SignalKDF.nextChain(session.senderChainKey)
        session.senderIndex += 1
        guard let pending = session.pending else { return SignalCiphertext(kind: .message, bytes: message.serialized) }
        let first = PreKeySignalMessage(
            registrationID: session.localRegistrationID, preKeyID: pending.preKeyID, signedPreKeyID: pending.signedPreKeyID, baseKey: pending.baseKey,
            identityKey: session.localIdentity, message: message)
        return SignalCiphertext(kind: .preKey, bytes: first.serialized)
    }

    /// Decrypts a message inside an established session. The session changes only when the
    /// message is genuine: a tampered or replayed one leaves it as it was.
    public static func decrypt(_ bytes: [UInt8], in session: inout SignalSession) throws -> [UInt8] {
        try decrypt(try SignalMessage(parsing: bytes), in: &session)
    }

    static func decrypt(_ message: SignalMessage, in session: inout SignalSession) throws -> [UInt8] {
        var working = session
        let chain = try receiverChainIndex(for: message.ratchetKey, in: &working)
        let keys = try messageKeys(counter: message.counter, chain: chain, in: &working)
        guard message.verifyMAC(macKey: keys.macKey, sender: working.remoteIdentity, receiver: working.localIdentity) else { throw SignalError.badMAC }
        guard let plaintext = try? AES._CBC.decrypt(message.ciphertext, using: SymmetricKey(data: keys.cipherKey), iv: AES._CBC.IV(ivBytes: keys.iv)) else {
            throw SignalError.malformedMessage
        }
        // An answer proves the other side has the session: no more first messages.
        working.pending = nil
        session = working
        return Array(plaintext)
    }

    /// The receiver chain for `ratchetKey`, stepping the ratchet when the sender has a new key.
    static func receiverChainIndex(for ratchetKey: [UInt8], in session: inout SignalSession) throws -> Int {
        if let index = session.receiverChain(ratchetKey) { return index }
        let (receivingRoot, receivingChain) = try SignalKDF.ratchet(root: session.rootKey, theirs: ratchetKey, ours: session.senderRatchet.privateKey)
        let next = try SignalKeyPair.generate()
        let (sendingRoot, sendingChain) = try SignalKDF.ratchet(root: receivingRoot, theirs: ratchetKey, ours: next.privateKey)
        session.rootKey = sendingRoot
        session.addReceiverChain(ratchetKey, chainKey: receivingChain)
        session.previousCounter = session.senderIndex > 0 ? session.senderIndex - 1 : 0
        session.senderRatchet = next
        session.senderChainKey = sendingChain
        session.senderIndex = 0
        return session.receiverChains.count - 1
    }

    /// The keys for `counter` on a receiver chain: a skipped message's stored keys (used once),
    /// or the chain advanced to it, keeping the keys it passes.
    static func messageKeys(counter: UInt32, chain index: Int, in session: inout SignalSession) throws -> SignalKDF.MessageKeys {
        var chain = session.receiverChains[index]
        if counter < chain.index {
            guard let found = chain.skipped.firstIndex(where: { $0.counter == counter }) else { throw SignalError.duplicateMessage }
            let keys = chain.skipped.remove(at: found)
            session.receiverChains[index] = chain
            return keys
        }
        guard counter - chain.index <= SignalSession.maxForwardJump else { throw SignalError.tooFarAhead }
        while chain.index < counter {
            chain.skipped.append(SignalKDF.messageKeys(chain: chain.chainKey, counter: chain.index))
            if chain.skipped.count > SignalSession.maxSkippedKeys { chain.skipped.removeFirst() }
            chain.chainKey = SignalKDF.nextChain(chain.chainKey)
            chain.index += 1
        }
        let keys = SignalKDF.messageKeys(chain: chain.chainKey, counter: counter)
        chain.chainKey = SignalKDF.nextChain(chain.chainKey)
        chain.index += 1
        session.receiverChains[index] = chain
        return keys
    }
}
