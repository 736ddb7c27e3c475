import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// Sending to a group. A Sender Key payload is encrypted once, stored once and pointed to by an
/// envelope per device, so a message to 1,500 members costs one copy of its ciphertext; the
/// pairwise envelopes beside it carry Sender Key distributions to the devices that lack one.
struct GroupMessages: Sendable {
    let env: MessagingEnvironment

    /// The members a group message reaches: those in it or invited to it, while their accounts
    /// are active. A suspended member's devices get nothing, and are not expected.
    static let receivingStates = [MembershipState.active.rawValue, MembershipState.request.rawValue]

    func send(_ form: GroupMessageRequest, to id: ConversationID, sender: DeviceStore.Row, caller: Principal) async throws -> SentMessage {
        let (payload, contents) = try validate(form)
        let joined = try await Conversations(env: env).membership(id, caller: caller)
        guard joined.conversation.kind == ConversationKind.group.rawValue else {
            throw AppError.conflict("This conversation is direct: its messages go to POST /api/v1/messages.", code: "not_a_group")
        }
        guard joined.member.isActive else { throw AppError.forbidden("Accept the group's request before writing to it.") }
        guard sender.isActive else { throw AppError.forbidden("A pending device cannot send; an active device must approve it first.") }

        let env = self.env
        let me = caller.accountID
        let candidates = try await ConversationStore.members(id.rawValue, on: env.database.sql)
            .filter { Self.receivingStates.contains($0.state) }.map(\.account)
        let standings = try await env.standings.of(candidates)
        let now = env.now
        let (stored, arrivals) = try await env.database.transaction { db -> ([EnvelopeStore.Row], [RealtimeEvent]) in
            // Membership and devices as they are inside the transaction: someone removed or a
            // device added meanwhile is not missed.
            let members = try await ConversationStore.members(id.rawValue, on: db)
            guard members.contains(where: { $0.account == me && $0.isActive }) else { throw AppError.notFound("conversation") }
            let receiving = members.filter { Self.receivingStates.contains($0.state) && standings[$0.account]?.isActive == true }.map(\.account)
            var expected: [String: Int] = [:]
            for device in try await DeviceStore.devices(of: receiving, approvedOnly: true, on: db) where !(device.accountId == me.rawValue && device.deviceId == sender.deviceId) {
                expected["\(device.accountId).\(device.deviceId)"] = device.registrationId
            }
            try Self.checkAddressing(form, expected: expected)

            var rows: [EnvelopeStore.Row] = []
            func row(_ account: AccountID, _ device: Int, type: EnvelopeType, content: String, payload: Int64?) -> EnvelopeStore.Row {
                EnvelopeStore.Row(
                    accountId: account.rawValue, deviceId: device, id: env.kernel.ids.next(), senderId: me.rawValue, senderDeviceId: sender.deviceId,
                    type: type.rawValue, content: content, sentAt: now, expiresAt: now + Envelopes.lifetime, conversationId: id.rawValue,
                    payloadId: payload, storyId: nil)
            }
            // Distributions first: a device reads the key before the message that needs it.
            for (envelope, content) in zip(form.envelopes ?? [], contents) {
                rows.append(row(envelope.accountId, envelope.deviceId, type: envelope.type, content: content, payload: nil))
            }
            if let payload, let devices = form.devices {
                let payloadID = env.kernel.ids.next()
                try await EnvelopeStore.insert(
                    EnvelopeStore.Payload(id: payloadID, conversationId: id.rawValue, senderId: me.rawValue, content: payload, expiresAt: now + Envelopes.lifetime),
                    on: db)
                for device in devices { rows.append(row(device.accountId, device.deviceId, type: .senderKey, content: "", payload: payloadID)) }
            }
            try await EnvelopeStore.insert(rows, on: db)
            try await ConversationStore.touch(id.rawValue, at: now, on: db)
            if members.contains(where: { $0.archivedAt != nil }) { try await ConversationStore.unarchive(id.rawValue, now: now, on: db) }

            return (rows, try await Envelopes.announce(rows, payload: payload, env: env, on: db))
        }
        env.kernel.realtime.didCommit(arrivals)
        return SentMessage(
            conversationId: id, sentAt: Date(millisecondsSince1970: now),
            envelopes: stored.map { StoredEnvelope(accountId: AccountID(rawValue: $0.accountId), deviceId: $0.deviceId, id: EnvelopeID(rawValue: $0.id)) })
    }

    /// The payload and envelope contents in canonical base64, or 422 naming every bad field.
    private func validate(_ form: GroupMessageRequest) throws -> (payload: String?, contents: [String]) {
        var validator = Validator()
        let envelopes = form.envelopes ?? []
        validator.check(form.payload != nil || !envelopes.isEmpty, "payload", "required", "send a payload, envelopes, or both")
        validator.check(envelopes.count <= GroupMessageRequest.maxEnvelopes, "envelopes", "count", "must hold at most \(GroupMessageRequest.maxEnvelopes) envelopes")
        var payload: String?
        if let text = form.payload {
            payload = DeviceAddressing.checkedCiphertext(text, field: "payload", into: &validator)?.base64EncodedString()
            let devices = form.devices ?? []
            let most = env.settings.maxGroupMembers * env.settings.maxDevices
            // None is right for a group whose other members have no devices yet.
            validator.check(form.devices != nil && devices.count <= most, "devices", "count", "must name 0–\(most) devices for a payload")
            for (index, device) in devices.enumerated() where !SignalKeyFormat.deviceIDs.contains(device.deviceId) {
                validator.check(false, "devices.\(index).device_id", "out_of_range", "must be 1–127")
            }
        } else {
            validator.check(form.devices == nil, "devices", "without_payload", "name devices only with a payload")
        }
        let contents = DeviceAddressing.contents(of: envelopes, into: &validator)
        try validator.validate()
        return (payload, contents)
    }

    /// The payload must reach exactly the expected devices; each pairwise envelope must go to
    /// one of them. Otherwise 409, and nothing is stored.
    static func checkAddressing(_ form: GroupMessageRequest, expected: [String: Int]) throws {
        var addressing = DeviceAddressing(expected: expected)
        addressing.check((form.envelopes ?? []).map { ($0.accountId, $0.deviceId, $0.registrationId) }, complete: false, missing: "")
        if let devices = form.devices, form.payload != nil {
            addressing.check(devices.map { ($0.accountId, $0.deviceId, $0.registrationId) }, complete: true, missing: "needs the payload")
        }
        try addressing.validate(
            title: "The devices do not match the group",
            detail: "Address every active device of the group's members and every other active device of mine, with current registration IDs.")
    }
}
