/// One Double Ratchet session with one remote device, as plain values: a client persists it
/// (it is `Codable`) and restores it to go on.
public struct SignalSession: Codable, Sendable, Equatable {
    struct ReceiverChain: Codable, Sendable, Equatable {
        var ratchetKey: [UInt8]
        var chainKey: [UInt8]
        var index: UInt32
        /// Keys of messages skipped on this chain, to decrypt them when they arrive late.
        var skipped: [SignalKDF.MessageKeys]
    }

    /// What the first messages carry until the other side answers (X3DH's keys).
    struct PendingPreKey: Codable, Sendable, Equatable {
        var preKeyID: UInt32?
        var signedPreKeyID: UInt32
        var baseKey: [UInt8]
    }

    var localIdentity: [UInt8]
    public internal(set) var remoteIdentity: [UInt8]
    var localRegistrationID: UInt32
    public internal(set) var remoteRegistrationID: UInt32
    var rootKey: [UInt8]
    var senderRatchet: SignalKeyPair
    var senderChainKey: [UInt8]
    var senderIndex: UInt32
    var previousCounter: UInt32
    var receiverChains: [ReceiverChain]
    var pending: PendingPreKey?
    /// The X3DH base key the session began with, so a repeated first message finds it again.
    var aliceBaseKey: [UInt8]

    /// libsignal's bounds: how far ahead a message may jump, and how many skipped keys and
    /// receiver chains a session keeps.
    static let maxForwardJump: UInt32 = 25_000
    static let maxSkippedKeys = 2_000
    static let maxReceiverChains = 5

    func receiverChain(_ ratchetKey: [UInt8]) -> Int? { receiverChains.firstIndex { $0.ratchetKey == ratchetKey } }

    mutating func addReceiverChain(_ ratchetKey: [UInt8], chainKey: [UInt8]) {
        receiverChains.append(ReceiverChain(ratchetKey: ratchetKey, chainKey: chainKey, index: 0, skipped: []))
        if receiverChains.count > Self.maxReceiverChains { receiverChains.removeFirst() }
    }
}
