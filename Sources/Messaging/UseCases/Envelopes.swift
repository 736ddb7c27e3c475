import EntativaCore
import EntativaModels
import Foundation
import SQLKit

/// Relaying ciphertext: a send stores one envelope per device durably before answering, the
/// device gets it over its realtime socket or fetches it, and acknowledging deletes it.
public struct Envelopes: Sendable {
    let env: MessagingEnvironment

    public init(env: MessagingEnvironment) { self.env = env }

    /// Envelopes live at most this long unacknowledged.
    static let lifetime: Int64 = 30 * 24 * 3_600_000

    /// Sends from `sender` (an active device of the caller). The envelopes must address exactly
    /// the recipient's active devices and the caller's other active devices, each with its
    /// current registration ID; otherwise 409 naming every missing, extra and stale device as
    /// `devices.<account>.<device>`, and nothing is stored.
    /// `story` is the story the message replies to, which only Stories names (after checking
    /// the sender may watch it).
    func send(_ form: SendMessageRequest, sender: DeviceStore.Row, caller: Principal, story: StoryID? = nil) async throws -> SentMessage {
        var validator = Validator()
        validator.check(
            (1...SendMessageRequest.maxEnvelopes).contains(form.envelopes.count), "envelopes", "count", "must hold 1–\(SendMessageRequest.maxEnvelopes) envelopes")
        let contents = DeviceAddressing.contents(of: form.envelopes, into: &validator)
        try validator.validate()
        guard sender.isActive else { throw AppError.forbidden("A pending device cannot send; an active device must approve it first.") }
        let recipient = form.recipientId
        if recipient != caller.accountID { try await env.requireReachable(recipient, from: caller.accountID) }
        let direct = DirectConversations(env: env)
        let plan = try await direct.plan(from: caller.accountID, to: recipient)

        let env = self.env
        let now = env.now
        let senderID = caller.accountID
        if let conversation = direct.onlyTouches(plan, now: now) {
            let stored = try await env.sendBatcher.commit(
                DirectSendBatcher.Send(
                    form: form, contents: contents, sender: sender, caller: senderID, conversation: conversation, now: now, story: story), env: env)
            return Self.sent(stored.rows, now: now)
        }
        let checkedContents = contents
        let (stored, arrivals) = try await env.database.transaction { db -> ([EnvelopeStore.Row], [RealtimeEvent]) in
            try Self.checkAddressing(form, sender: sender, caller: senderID, devices: try await Self.devices(of: [form.recipientId, senderID], on: db))
            let conversation = try await direct.record(plan, message: true, now: now, on: db)
            let rows = Self.rows(
                form, contents: checkedContents, sender: sender, caller: senderID, conversation: conversation, now: now, story: story, env: env)
            try await EnvelopeStore.insert(rows, on: db)
            return (rows, try await Self.announce(rows, payload: nil, env: env, on: db))
        }
        env.kernel.realtime.didCommit(arrivals)
        return Self.sent(stored, now: now)
    }

    /// One envelope row per addressed device, IDs taken now.
    static func rows(
        _ form: SendMessageRequest, contents: [String], sender: DeviceStore.Row, caller: AccountID, conversation: ConversationID, now: Int64,
        story: StoryID?, env: MessagingEnvironment
    ) -> [EnvelopeStore.Row] {
        zip(form.envelopes, contents).map { envelope, content in
            EnvelopeStore.Row(
                accountId: envelope.accountId.rawValue, deviceId: envelope.deviceId, id: env.kernel.ids.next(), senderId: caller.rawValue,
                senderDeviceId: sender.deviceId, type: envelope.type.rawValue, content: content, sentAt: now, expiresAt: now + lifetime,
                conversationId: conversation.rawValue, payloadId: nil, storyId: story?.rawValue)
        }
    }

    private static func sent(_ stored: [EnvelopeStore.Row], now: Int64) -> SentMessage {
        SentMessage(
            conversationId: stored.first.flatMap { $0.conversationId.map(ConversationID.init(rawValue:)) }, sentAt: Date(millisecondsSince1970: now),
            envelopes: stored.map { StoredEnvelope(accountId: AccountID(rawValue: $0.accountId), deviceId: $0.deviceId, id: EnvelopeID(rawValue: $0.id)) })
    }

    /// Every device of `accounts`, by account ID, in one read. Read inside the sending
    /// transaction, so a device registered or removed meanwhile is not missed.
    static func devices(of accounts: Set<AccountID>, on db: any SQLDatabase) async throws -> [Int64: [DeviceStore.Row]] {
        Dictionary(grouping: try await DeviceStore.devices(of: Array(accounts), approvedOnly: false, on: db), by: \.accountId)
    }

    /// Checks a send's addressing against `devices` (from `devices(of:on:)`).
    static func checkAddressing(_ form: SendMessageRequest, sender: DeviceStore.Row, caller: AccountID, devices: [Int64: [DeviceStore.Row]]) throws {
        var expected: [String: Int] = [:]
        for account in Set([form.recipientId, caller]) {
            for device in devices[account.rawValue] ?? [] where device.isActive {
                if account == caller && device.deviceId == sender.deviceId { continue }
                expected["\(account).\(device.deviceId)"] = device.registrationId
            }
        }
        var addressing = DeviceAddressing(expected: expected)
        addressing.check(form.envelopes.map { ($0.accountId, $0.deviceId, $0.registrationId) }, complete: true, missing: "needs an envelope")
        try addressing.validate(
            title: "The envelopes do not match the devices",
            detail: "Address every active device of the recipient and every other active device of mine, with current registration IDs.")
    }

    /// The device's waiting envelopes, oldest first.
    func waiting(for device: DeviceStore.Row, caller: Principal, after: EnvelopeID?, limit: Int) async throws -> Page<Envelope> {
        let rows = try await EnvelopeStore.waiting(
            for: caller.accountID, device: device.deviceId, after: after?.rawValue, now: env.now, limit: limit + 1, on: env.database.sql)
        let (shown, next) = PageRequest.split(rows, limit: limit) { String($0.id) }
        return Page(items: shown.map(Self.envelope), nextCursor: next)
    }

    /// Deletes the device's envelopes among `ids`: it has them now. Others' IDs are ignored.
    func acknowledge(_ ids: [EnvelopeID], for device: DeviceStore.Row, caller: Principal) async throws -> Int {
        var validator = Validator()
        validator.check(
            (1...AcknowledgeEnvelopesRequest.maxIDs).contains(ids.count), "ids", "count", "must hold 1–\(AcknowledgeEnvelopesRequest.maxIDs) IDs")
        try validator.validate()
        let account = caller.accountID
        return try await env.database.transaction { db in
            try await EnvelopeStore.acknowledge(ids.map(\.rawValue), for: account, device: device.deviceId, on: db).count
        }
    }

    /// Deletes what has waited past its lifetime, a batch at a time, then the group payloads
    /// no envelope points to any more; answers how many envelopes went.
    public func deleteExpired() async throws -> Int {
        let now = env.now
        var total = 0
        while true {
            let deleted = try await env.database.transaction { db in try await EnvelopeStore.deleteExpired(now: now, batch: 1_000, on: db) }
            total += deleted
            if deleted < 1_000 { break }
        }
        while try await env.database.transaction({ db in try await EnvelopeStore.deleteUnreferencedPayloads(now: now, batch: 1_000, on: db) }) == 1_000 {}
        return total
    }

    /// One `envelope` event per stored envelope, for its account's sockets (inline up to 4 KiB;
    /// a group payload's envelopes carry `payload`), recorded in the caller's transaction.
    static func announce(_ rows: [EnvelopeStore.Row], payload: String?, env: MessagingEnvironment, on db: any SQLDatabase) async throws -> [RealtimeEvent] {
        let events = try arrivals(rows, payload: payload, env: env)
        try await env.kernel.realtime.record(events, on: db)
        return events
    }

    /// The `envelope` events of `rows`, not yet recorded.
    static func arrivals(_ rows: [EnvelopeStore.Row], payload: String?, env: MessagingEnvironment) throws -> [RealtimeEvent] {
        let now = env.now
        return try rows.map { row in
            var envelope = Self.envelope(row)
            if row.payloadId != nil { envelope.content = payload ?? "" }
            let inline = envelope.content.utf8.count <= EnvelopeArrived.inlineContentLength
            let arrival = EnvelopeArrived(deviceId: row.deviceId, id: envelope.id, envelope: inline ? envelope : nil)
            let json = String(decoding: try EntativaJSON.encoder().encode(arrival), as: UTF8.self)
            return RealtimeEvent(
                id: env.kernel.ids.next(), accountID: AccountID(rawValue: row.accountId), type: EnvelopeArrived.type, payloadJSON: json, createdAt: now)
        }
    }

    static func envelope(_ row: EnvelopeStore.Row) -> Envelope {
        Envelope(
            id: EnvelopeID(rawValue: row.id), conversationId: row.conversationId.map(ConversationID.init(rawValue:)),
            senderId: AccountID(rawValue: row.senderId), senderDeviceId: row.senderDeviceId,
            type: EnvelopeType(rawValue: row.type) ?? .message, content: row.content, sentAt: Date(millisecondsSince1970: row.sentAt),
            storyId: row.storyId.map(StoryID.init(rawValue:)))
    }
}
