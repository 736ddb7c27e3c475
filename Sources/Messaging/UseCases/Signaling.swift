import EntativaCore
import EntativaModels
import Foundation

/// What clients send each other through the realtime socket and the server only passes on:
/// call signalling (offer, answer, ICE candidates, hangup, busy) and typing indicators. Nothing
/// is stored; a recipient without a connected socket misses it. The server reads only the
/// addressing: `data` is opaque (an SDP, a candidate, or ciphertext of them).
struct Signaling: Sendable {
    let env: MessagingEnvironment

    static let callTypes = ["call.offer", "call.answer", "call.ice", "call.hangup", "call.busy"]
    static let typingType = "typing"

    func register() {
        for type in Self.callTypes {
            env.kernel.streamingInbound.on(type) { account, payload in try await relayCall(type, from: account, payloadJSON: payload) }
        }
        env.kernel.streamingInbound.on(Self.typingType) { account, payload in try await relayTyping(from: account, payloadJSON: payload) }
    }

    func relayCall(_ type: String, from caller: AccountID, payloadJSON: String) async throws {
        let signal = try decode(CallSignalRequest.self, payloadJSON)
        var validator = Validator()
        validator.length(signal.callId, "call_id", max: CallSignalRequest.maxCallIDLength, min: 1)
        validator.check((signal.data ?? "").utf8.count <= CallSignalRequest.maxDataBytes, "data", "too_long", "may hold at most \(CallSignalRequest.maxDataBytes) bytes")
        try validator.validate()
        try await env.requireReachable(signal.to, from: caller)
        let relayed = CallSignal(from: caller, callId: signal.callId, data: signal.data)
        guard try await env.kernel.realtime.sendEphemeral(type, relayed, to: [signal.to]) else {
            throw AppError.invalid(field: "data", code: "too_long", message: "is too big to relay")
        }
    }

    func relayTyping(from caller: AccountID, payloadJSON: String) async throws {
        let typing = try decode(TypingRequest.self, payloadJSON)
        try await env.requireReachable(typing.to, from: caller)
        try await env.kernel.realtime.sendEphemeral(Self.typingType, TypingSignal(from: caller, typing: typing.typing), to: [typing.to])
    }

    func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try APIRequestDecoder.decode(type, from: Data(json.utf8))
    }
}
