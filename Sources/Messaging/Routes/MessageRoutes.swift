import EntativaCore
import EntativaModels
import HTTPTypes
import Hummingbird

/// `/api/v1/messages…`: every route acts as one device, named by `X-Device-ID` and proven by
/// `X-Device-Secret`.
struct MessageRoutes {
    let env: MessagingEnvironment

    static let deviceIDHeader = HTTPField.Name("X-Device-ID")!
    static let deviceHeaders: [(String, Bool, String)] = [
        ("X-Device-ID", true, "The device acting: 1–127"),
        ("X-Device-Secret", true, "The secret that device got when it registered"),
    ]

    func register(signedIn: APIRoutes<AuthenticatedContext>) {
        let env = self.env
        let limits = env.kernel.config.limits
        var send = APIOperation(
            "sendMessage", "Send a message: one envelope per device", tag: "messaging", access: .signedIn, body: "SendMessageRequest", status: 201,
            response: "SentMessage", errors: [403, 404, 409, 422],
            description: "Envelopes for every active device of the recipient and every other active device of mine, each with the registration ID my session knows (each envelope ≤ 256 KiB of ciphertext, the whole request ≤ the 1 MiB JSON limit: bigger content goes as an encrypted attachment); otherwise 409 with a field error `devices.<account_id>.<device_id>` (missing, extra, stale or duplicate) for each, and nothing stored. Each envelope is stored before the answer, delivered to its device's realtime sockets as an `envelope` event (inline up to 4 KiB) and kept until acknowledged, at most 30 days. 404 when the recipient blocks me or I block them, or the recipient is not active, or X-Device-ID and X-Device-Secret name no device of mine; 403 from a pending device. Send an Idempotency-Key to make retries safe.")
            .idempotent()
        send.headers = Self.deviceHeaders
        signedIn.add(.post, "/api/v1/messages", send) { request, context in
            let form = try await request.decodeJSON(as: SendMessageRequest.self, context: context)
            let device = try await Self.device(request, context, env: env)
            return Reply(try await Envelopes(env: env).send(form, sender: device, caller: context.caller), status: .created)
        }
        var group = APIOperation(
            "sendGroupMessage", "Send a message to a group", tag: "messaging", access: .signedIn, body: "GroupMessageRequest", status: 201,
            response: "SentMessage", errors: [403, 404, 409, 422],
            description: "A Sender Key `payload` (≤ 256 KiB of ciphertext, encrypted once) with `devices` naming every active device of the group's members (those in it or invited to it, while their accounts are active) and every other active device of mine, each with its current registration ID; and/or up to 100 pairwise `envelopes` to some of those devices (Sender Key distributions). The payload is stored once; each device gets an envelope of type `sender_key` that carries it when delivered. Otherwise 409 with a field error `devices.<account_id>.<device_id>` (missing, extra, stale or duplicate) for each, and nothing stored. 404 when the group is not mine to see or X-Device-ID and X-Device-Secret name no device of mine; 403 while I have not accepted the group's request, or from a pending device; 409 `not_a_group` for a direct conversation. Send an Idempotency-Key to make retries safe.")
            .idempotent()
        group.headers = Self.deviceHeaders
        signedIn.add(.post, "/api/v1/conversations/{id}/messages", group) { request, context in
            let id: ConversationID = try context.parameters.id("id")
            let form = try await request.decodeJSON(as: GroupMessageRequest.self, context: context)
            let device = try await Self.device(request, context, env: env)
            return Reply(try await GroupMessages(env: env).send(form, to: id, sender: device, caller: context.caller), status: .created)
        }
        var waiting = APIOperation(
            "listEnvelopes", "Envelopes waiting for my device, oldest first", tag: "messaging", access: .signedIn, response: "EnvelopePage",
            errors: [404, 422], query: [.cursor, .limit],
            description: "Until acknowledged. The cursor is the last envelope ID seen. 404 when X-Device-ID and X-Device-Secret name no device of mine.")
        waiting.headers = Self.deviceHeaders
        signedIn.add(.get, "/api/v1/messages", waiting) { request, context in
            let device = try await Self.device(request, context, env: env)
            var validator = Validator()
            let limit = PageRequest.limit(of: request, limits: limits, into: &validator)
            var after: EnvelopeID?
            if let cursor = request.uri.queryParameters["cursor"].map(String.init), !cursor.isEmpty {
                after = EnvelopeID(cursor)
                validator.check(after != nil, "cursor", "invalid", "is not a cursor this server gave out")
            }
            try validator.validate()
            return try await Envelopes(env: env).waiting(for: device, caller: context.caller, after: after, limit: limit).reply(for: request)
        }
        var acknowledge = APIOperation(
            "acknowledgeEnvelopes", "Acknowledge envelopes my device has", tag: "messaging", access: .signedIn, body: "AcknowledgeEnvelopesRequest",
            status: 204, errors: [404, 422],
            description: "1–100 envelope IDs; each is deleted from the server. IDs that are not my device's are ignored. 404 when X-Device-ID and X-Device-Secret name no device of mine.")
        acknowledge.headers = Self.deviceHeaders
        signedIn.add(.post, "/api/v1/messages/acknowledge", acknowledge) { request, context in
            let form = try await request.decodeJSON(as: AcknowledgeEnvelopesRequest.self, context: context)
            let device = try await Self.device(request, context, env: env)
            _ = try await Envelopes(env: env).acknowledge(form.ids, for: device, caller: context.caller)
            return Response.noContent
        }
    }

    /// The device the request acts as; 404 for a wrong ID or secret, which says nothing more.
    static func device(_ request: Request, _ context: AuthenticatedContext, env: MessagingEnvironment) async throws -> DeviceStore.Row {
        guard let text = request.headers[deviceIDHeader], let id = OutsideInteger.parseInt(text, in: SignalKeyFormat.deviceIDs) else {
            throw AppError.notFound("device")
        }
        return try await Devices(env: env).authenticated(id, secret: request.headers[DeviceRoutes.deviceSecretHeader], caller: context.caller)
    }

    static func registerSchemas(in document: OpenAPIDocument) {
        let deviceID = DeviceRoutes.deviceIDSchema
        let types = Schema.string(values: EnvelopeType.allCases.map(\.rawValue))
        let pairwiseTypes = Schema.string(values: EnvelopeType.pairwise.map(\.rawValue))
        let content = Schema.string(minLength: 4, maxLength: OutgoingEnvelope.maxContentLength, description: "base64 of the ciphertext, 1–262144 bytes")
        document.addSchema(
            "OutgoingEnvelope",
            Schema.object(
                [
                    "account_id": Schema.id, "device_id": deviceID,
                    "registration_id": Schema.integer(minimum: SignalKeyFormat.registrationIDs.lowerBound, maximum: SignalKeyFormat.registrationIDs.upperBound),
                    "type": pairwiseTypes, "content": content,
                ],
                required: ["account_id", "device_id", "registration_id", "type", "content"]))
        document.addSchema(
            "SendMessageRequest",
            Schema.object(
                ["recipient_id": Schema.id, "envelopes": Schema.array(Schema.ref("OutgoingEnvelope"), minItems: 1, maxItems: SendMessageRequest.maxEnvelopes)],
                required: ["recipient_id", "envelopes"]))
        let registrationID = Schema.integer(minimum: SignalKeyFormat.registrationIDs.lowerBound, maximum: SignalKeyFormat.registrationIDs.upperBound)
        document.addSchema(
            "DeviceAddress",
            Schema.object(["account_id": Schema.id, "device_id": deviceID, "registration_id": registrationID], required: ["account_id", "device_id", "registration_id"]))
        document.addSchema(
            "GroupMessageRequest",
            Schema.object([
                "payload": Schema.string(minLength: 4, maxLength: OutgoingEnvelope.maxContentLength, description: "base64 of the SenderKeyMessage, 1–262144 bytes"),
                "devices": Schema.array(Schema.ref("DeviceAddress"), maxItems: GroupMessageRequest.maxDevices),
                "envelopes": Schema.array(Schema.ref("OutgoingEnvelope"), maxItems: GroupMessageRequest.maxEnvelopes),
            ]))
        document.addSchema(
            "StoredEnvelope", Schema.object(["account_id": Schema.id, "device_id": deviceID, "id": Schema.id], required: ["account_id", "device_id", "id"]))
        document.addSchema(
            "SentMessage",
            Schema.object(
                ["conversation_id": Schema.id, "sent_at": Schema.timestamp, "envelopes": Schema.array(Schema.ref("StoredEnvelope"))],
                required: ["conversation_id", "sent_at", "envelopes"]))
        document.addSchema(
            "Envelope",
            Schema.object(
                [
                    "id": Schema.id, "conversation_id": Schema.id, "sender_id": Schema.id, "sender_device_id": deviceID, "type": types, "content": Schema.string(),
                    "sent_at": Schema.timestamp, "story_id": Schema.id,
                ],
                required: ["id", "sender_id", "sender_device_id", "type", "content", "sent_at"]))
        document.addSchema("EnvelopePage", Schema.page(of: "Envelope"))
        document.addSchema(
            "AcknowledgeEnvelopesRequest",
            Schema.object(["ids": Schema.array(Schema.id, minItems: 1, maxItems: AcknowledgeEnvelopesRequest.maxIDs)], required: ["ids"]))
    }
}
