import EntativaCore
import EntativaModels
import Foundation

/// What clients send each other through the realtime socket and the server only passes on:
/// call signalling (offer, answer, ICE candidates, hangup, busy), typing indicators, and
/// delivery and read receipts. Nothing
/// is stored; a recipient without a connected socket misses it. The server reads only the
/// addressing: `data` is opaque (an SDP, a candidate, or ciphertext of them).
struct Signaling: Sendable {
    let env: MessagingEnvironment

    static let callTypes = ["call.offer", "call.answer", "call.ice", "call.hangup", "call.busy"]
    static let typingType = "typing"
    static let receiptType = "receipt"

    func register() {
        for type in Self.callTypes {
            env.kernel.streamingInbound.on(type) { account, payload in try await relayCall(type, from: account, payloadJSON: payload) }
        }
        env.kernel.streamingInbound.on(Self.typingType) { account, payload in try await relayTyping(from: account, payloadJSON: payload) }
        env.kernel.streamingInbound.on(Self.receiptType) { account, payload in try await relayReceipt(from: account, payloadJSON: payload) }
    }

    func relayCall(_ type: String, from caller: AccountID, payloadJSON: String) async throws {
        let signal = try decode(CallSignalRequest.self, payloadJSON)
        var validator = Validator()
        validator.length(signal.callId, "call_id", max: CallSignalRequest.maxCallIDLength, min: 1)
        validator.check((signal.data ?? "").utf8.count <= CallSignalRequest.maxDataBytes, "data", "too_long", "may hold at most \(CallSignalRequest.maxDataBytes) bytes")
        try validator.validate()
        try await requireAccepted(signal.to, from: caller)
        let relayed = CallSignal(from: caller, callId: signal.callId, data: signal.data)
        guard try await env.kernel.realtime.sendEphemeral(type, relayed, to: [signal.to]) else {
            throw AppError.invalid(field: "data", code: "too_long", message: "is too big to relay")
        }
    }

    func relayTyping(from caller: AccountID, payloadJSON: String) async throws {
        let typing = try decode(TypingRequest.self, payloadJSON)
        try await requireAccepted(typing.to, from: caller)
        try await env.kernel.realtime.sendEphemeral(Self.typingType, TypingSignal(from: caller, typing: typing.typing), to: [typing.to])
    }

    /// Receipts go only between two accounts that have each accepted the other: the recipient of
    /// a request reveals nothing (not even that it read the message) until it accepts.
    func relayReceipt(from caller: AccountID, payloadJSON: String) async throws {
        let receipt = try decode(ReceiptRequest.self, payloadJSON)
        var validator = Validator()
        validator.check(
            (1...ReceiptRequest.maxEnvelopes).contains(receipt.envelopeIds.count), "envelope_ids", "count", "must hold 1–\(ReceiptRequest.maxEnvelopes) IDs")
        try validator.validate()
        try await requireAccepted(receipt.to, from: caller)
        guard try await DirectConversations(env: env).accepts(caller, from: receipt.to) else {
            throw AppError.forbidden("Accept the conversation before sending receipts.")
        }
        try await env.kernel.realtime.sendEphemeral(
            Self.receiptType, Receipt(from: caller, kind: receipt.kind, envelopeIds: receipt.envelopeIds), to: [receipt.to])
    }

    /// Calls and typing reach only who has accepted the caller: a stranger's request cannot ring.
    func requireAccepted(_ recipient: AccountID, from caller: AccountID) async throws {
        try await env.requireReachable(recipient, from: caller)
        guard try await DirectConversations(env: env).accepts(recipient, from: caller) else {
            throw AppError.forbidden("The account has not accepted messages from you.")
        }
    }

    func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try APIRequestDecoder.decode(type, from: Data(json.utf8))
    }
}
