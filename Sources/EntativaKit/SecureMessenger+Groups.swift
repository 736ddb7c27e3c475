import EntativaCrypto
import EntativaModels
import Foundation

/// Groups with Sender Keys: a message is encrypted once with my chain for the group and sent as
/// one payload; each device that lacks my chain first gets it in a pairwise envelope. The
/// server's 409 says which devices the group has, so the first send learns them.
extension SecureMessenger {
    /// Encrypts `plaintext` once for group `group` and sends it to every device of its members
    /// and every other device of mine.
    @discardableResult
    public func send(_ plaintext: [UInt8], toGroup group: ConversationID) async throws -> SentMessage {
        let key = Self.senderKeyName(group, state.account, state.deviceID)
        var known = state.groups["\(group)"] ?? GroupState(targets: [], distributed: [])
        var payload: [UInt8]?
        var distribution: SenderKeyDistribution?
        for _ in 0..<4 {
            if payload == nil {
                var record = state.senderKeys[key] ?? SenderKeyRecord()
                if record.current?.canSend != true { record.add(try SenderKeyState.generate()) }
                // Taken before encrypting: a device that receives it must be able to read this message.
                distribution = record.current?.distribution
                payload = try GroupCipher.encrypt(MessageContent.message(plaintext).encoded, in: &record)
                state.senderKeys[key] = record
            }
            guard let ciphertext = payload, let distribution else { break }
            var envelopes: [OutgoingEnvelope] = []
            var devices: [DeviceAddress] = []
            let content = MessageContent.senderKeyDistribution(group, distribution).encoded
            for address in known.targets.sorted() {
                guard var session = state.sessions[address], let (account, device) = Self.parse(address) else { continue }
                let registration = Int(session.remoteRegistrationID)
                devices.append(DeviceAddress(accountId: account, deviceId: device, registrationId: registration))
                guard !known.distributed.contains(address) else { continue }
                let wrapped = try SessionCipher.encrypt(content, in: &session)
                state.sessions[address] = session
                envelopes.append(OutgoingEnvelope(
                    accountId: account, deviceId: device, registrationId: registration, type: wrapped.kind == .preKey ? .prekey : .message,
                    content: Data(wrapped.bytes).base64EncodedString()))
            }
            do {
                var sent: SentMessage?
                // At most 100 distributions travel per request; the payload goes with the last batch.
                for start in stride(from: 0, to: max(envelopes.count, 1), by: GroupMessageRequest.maxEnvelopes) {
                    let batch = Array(envelopes[start..<min(start + GroupMessageRequest.maxEnvelopes, envelopes.count)])
                    let last = start + GroupMessageRequest.maxEnvelopes >= envelopes.count
                    let form = GroupMessageRequest(
                        payload: last ? Data(ciphertext).base64EncodedString() : nil, devices: last ? devices : nil, envelopes: batch.isEmpty ? nil : batch)
                    sent = try await client.sendGroupMessage(form, to: group, from: state.deviceID, secret: state.deviceSecret)
                    known.distributed += batch.map { "\($0.accountId).\($0.deviceId)" }
                    state.groups["\(group)"] = known
                }
                if let sent { return sent }
            } catch EntativaError.problem(let problem) where problem.status == 409 && problem.type.hasSuffix("/device-mismatch") {
                if try await reconcileGroup(&known, with: problem.errors ?? []) {
                    // Someone left: a new chain, so what they knew reads nothing from now on.
                    var record = state.senderKeys[key] ?? SenderKeyRecord()
                    record.add(try SenderKeyState.generate())
                    state.senderKeys[key] = record
                    known.distributed = []
                    payload = nil
                }
                state.groups["\(group)"] = known
            }
        }
        throw Failure.devicesKeptChanging
    }

    @discardableResult
    public func send(_ text: String, toGroup group: ConversationID) async throws -> SentMessage {
        try await send(Array(text.utf8), toGroup: group)
    }

    /// Applies a group send's 409: missing devices join the targets (with a session, fetched
    /// when I have none), stale ones get a new session and my chain again, extra ones leave.
    /// Answers whether a device that had my chain left, which calls for a new one.
    func reconcileGroup(_ known: inout GroupState, with errors: [FieldError]) async throws -> Bool {
        var targets = Set(known.targets)
        var rotate = false
        var fetch: [AccountID: [Int]] = [:]
        for (address, account, device, code) in Self.mismatches(errors) {
            switch code {
            case "extra":
                targets.remove(address)
                if known.distributed.contains(address) { rotate = true }
                known.distributed.removeAll { $0 == address }
            case "missing" where state.sessions[address] != nil:
                targets.insert(address)
            case "missing", "stale":
                state.sessions[address] = nil
                known.distributed.removeAll { $0 == address }
                fetch[account, default: []].append(device)
            default:
                continue
            }
        }
        for (account, devices) in fetch { targets.formUnion(try await startSessions(with: account, devices: devices)) }
        known.targets = targets.sorted()
        return rotate
    }

    static func senderKeyName(_ group: ConversationID, _ account: AccountID, _ device: Int) -> String { "\(group)/\(account).\(device)" }
}
