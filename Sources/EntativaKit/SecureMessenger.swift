import EntativaCrypto
import EntativaModels
import Foundation

/// End-to-end encrypted messaging for one registered device: it keeps a Signal session per
/// remote device, encrypts each message once per device of the recipient and of its own
/// account, and answers the server's device-mismatch refusals by fetching the keys it lacks.
/// The server only ever sees ciphertext. Save `state` after every call and restore it with
/// `init(client:state:)`: sessions and one-time prekeys change as messages flow.
public actor SecureMessenger {
    public struct State: Codable, Sendable {
        public var account: AccountID
        public var deviceID: Int
        public var deviceSecret: String
        public var keys: DeviceKeys
        /// Sessions by `<account>.<device>`.
        public var sessions: [String: SignalSession]
        /// Sender Keys by `<conversation>/<account>.<device>`: my own chain for each group I
        /// wrote to, and every member device's chain it distributed to me.
        public var senderKeys: [String: SenderKeyRecord]
        /// What I know of each group I wrote to, by conversation ID.
        public var groups: [String: GroupState]

        public init(account: AccountID, deviceID: Int, deviceSecret: String, keys: DeviceKeys, sessions: [String: SignalSession] = [:]) {
            self.account = account
            self.deviceID = deviceID
            self.deviceSecret = deviceSecret
            self.keys = keys
            self.sessions = sessions
            senderKeys = [:]
            groups = [:]
        }

        /// States saved before groups existed restore with none.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            account = try container.decode(AccountID.self, forKey: .account)
            deviceID = try container.decode(Int.self, forKey: .deviceID)
            deviceSecret = try container.decode(String.self, forKey: .deviceSecret)
            keys = try container.decode(DeviceKeys.self, forKey: .keys)
            sessions = try container.decode([String: SignalSession].self, forKey: .sessions)
            senderKeys = try container.decodeIfPresent([String: SenderKeyRecord].self, forKey: .senderKeys) ?? [:]
            groups = try container.decodeIfPresent([String: GroupState].self, forKey: .groups) ?? [:]
        }
    }

    /// The devices a group's messages go to, and which of them have my current Sender Key.
    public struct GroupState: Codable, Sendable, Equatable {
        /// `<account>.<device>` of every device the server last agreed the group has.
        public var targets: [String]
        /// The targets my current chain was distributed to.
        public var distributed: [String]
    }

    /// A message read from an envelope.
    public struct Received: Sendable, Equatable {
        public var id: EnvelopeID
        /// The group it was sent to; nil for a direct message.
        public var group: ConversationID?
        public var sender: AccountID
        public var senderDevice: Int
        public var plaintext: [UInt8]
        public var sentAt: Date

        public var text: String { String(decoding: plaintext, as: UTF8.self) }
    }

    public enum Failure: Error, Equatable {
        /// The server kept refusing the addressing after fetching the keys it asked for.
        case devicesKeptChanging
    }

    let client: EntativaClient
    public internal(set) var state: State
    /// Envelopes opened lately, newest last: one can arrive both on the socket and in a fetch.
    var recentlyOpened: [EnvelopeID] = []
    var recentlyOpenedSet: Set<EnvelopeID> = []

    public init(client: EntativaClient, state: State) {
        self.client = client
        self.state = state
    }

    /// Registers this device's keys with the server (the client must be signed in) and
    /// answers a messenger for it; a later device stays pending until an active one approves it.
    public static func register(client: EntativaClient, account: AccountID, name: String, oneTimePreKeys: Int = 100) async throws -> SecureMessenger {
        let keys = try DeviceKeys.generate(oneTimePreKeys: oneTimePreKeys)
        let registered = try await client.registerDevice(keys.registration(name: name))
        return SecureMessenger(
            client: client, state: State(account: account, deviceID: registered.device.id, deviceSecret: registered.deviceSecret, keys: keys))
    }

    // MARK: Sending

    /// Encrypts `plaintext` for every active device of `recipient` and every other active
    /// device of mine, and sends it. The devices come from the sessions I have; when the
    /// server says some are missing, stale or gone, the keys are fetched and it tries again.
    @discardableResult
    public func send(_ plaintext: [UInt8], to recipient: AccountID) async throws -> SentMessage {
        var targets = Set(state.sessions.keys.filter { $0.hasPrefix("\(recipient).") || $0.hasPrefix("\(state.account).") })
        if !targets.contains(where: { $0.hasPrefix("\(recipient).") }) {
            targets.formUnion(try await startSessions(with: recipient, devices: nil))
        }
        for _ in 0..<3 {
            var envelopes: [OutgoingEnvelope] = []
            for address in targets.sorted() {
                guard var session = state.sessions[address], let (account, device) = Self.parse(address) else { continue }
                let ciphertext = try SessionCipher.encrypt(MessageContent.message(plaintext).encoded, in: &session)
                state.sessions[address] = session
                envelopes.append(OutgoingEnvelope(
                    accountId: account, deviceId: device, registrationId: Int(session.remoteRegistrationID),
                    type: ciphertext.kind == .preKey ? .prekey : .message, content: Data(ciphertext.bytes).base64EncodedString()))
            }
            do {
                return try await client.sendMessage(
                    SendMessageRequest(recipientId: recipient, envelopes: envelopes), from: state.deviceID, secret: state.deviceSecret)
            } catch EntativaError.problem(let problem) where problem.status == 409 {
                targets = try await reconcile(targets, with: problem.errors ?? [])
            }
        }
        throw Failure.devicesKeptChanging
    }

    @discardableResult
    public func send(_ text: String, to recipient: AccountID) async throws -> SentMessage {
        try await send(Array(text.utf8), to: recipient)
    }

    /// Applies a 409's field errors (`devices.<account>.<device>` with missing, stale or extra).
    func reconcile(_ targets: Set<String>, with errors: [FieldError]) async throws -> Set<String> {
        var targets = targets
        var fetch: [AccountID: [Int]] = [:]
        for (address, account, device, code) in Self.mismatches(errors) {
            switch code {
            case "extra":
                targets.remove(address)
                state.sessions[address] = nil
            case "missing", "stale":
                state.sessions[address] = nil
                fetch[account, default: []].append(device)
            default:
                continue
            }
        }
        for (account, devices) in fetch { targets.formUnion(try await startSessions(with: account, devices: devices)) }
        return targets
    }

    /// The devices a 409's field errors name (`devices.<account>.<device>`), with each one's code.
    static func mismatches(_ errors: [FieldError]) -> [(address: String, account: AccountID, device: Int, code: String)] {
        errors.compactMap { error in
            guard error.field.hasPrefix("devices.") else { return nil }
            let address = String(error.field.dropFirst("devices.".count))
            guard let (account, device) = parse(address) else { return nil }
            return (address, account, device, error.code)
        }
    }

    /// Fetches bundles (all of `account`'s active devices, or the listed ones) and starts a
    /// session with each device other than this one; answers their addresses.
    func startSessions(with account: AccountID, devices: [Int]?) async throws -> [String] {
        var bundles: [PreKeyBundle] = []
        if let devices {
            for device in devices { bundles += try await client.preKeyBundle(of: account, device: device).devices }
        } else if account == state.account {
            for device in try await client.devices() where device.status == .active && device.id != state.deviceID {
                bundles += try await client.preKeyBundle(of: account, device: device.id).devices
            }
        } else {
            bundles = try await client.preKeyBundles(of: account).devices
        }
        var started: [String] = []
        for bundle in bundles where !(account == state.account && bundle.deviceId == state.deviceID) {
            let address = "\(account).\(bundle.deviceId)"
            state.sessions[address] = try SessionCipher.start(with: try Self.remote(bundle), as: identity)
            started.append(address)
        }
        return started
    }

    // MARK: Receiving

    /// Fetches, decrypts and acknowledges what waits for this device, oldest first. An
    /// envelope that does not decrypt (tampered, replayed, or from a session this device no
    /// longer has) is acknowledged and left out, so it cannot block the ones behind it.
    public func receive() async throws -> [Received] {
        var received: [Received] = []
        var cursor: String?
        repeat {
            let page = try await client.envelopes(for: state.deviceID, secret: state.deviceSecret, cursor: cursor)
            for envelope in page.items where !recentlyOpenedSet.contains(envelope.id) {
                remember(envelope.id)
                if let message = try? open(envelope) ?? nil { received.append(message) }
            }
            if !page.items.isEmpty {
                try await client.acknowledgeEnvelopes(page.items.map(\.id), for: state.deviceID, secret: state.deviceSecret)
            }
            cursor = page.nextCursor
        } while cursor != nil
        return received
    }

    /// Decrypts one envelope, starting a session when it is a first message. A Sender Key
    /// distribution is kept, and answers nil: it is not a message.
    public func open(_ envelope: Envelope) throws -> Received? {
        let address = "\(envelope.senderId).\(envelope.senderDeviceId)"
        let bytes = [UInt8](Data(base64Encoded: envelope.content) ?? Data())
        let plaintext: [UInt8]
        switch envelope.type {
        case .senderKey:
            guard let group = envelope.conversationId else { throw SignalError.noSession }
            let key = Self.senderKeyName(group, envelope.senderId, envelope.senderDeviceId)
            guard var record = state.senderKeys[key] else { throw SignalError.noSession }
            plaintext = try GroupCipher.decrypt(bytes, in: &record)
            state.senderKeys[key] = record
            guard case .message(let body) = try MessageContent(decoding: plaintext) else { throw SignalError.malformedMessage }
            return Received(
                id: envelope.id, group: group, sender: envelope.senderId, senderDevice: envelope.senderDeviceId, plaintext: body, sentAt: envelope.sentAt)
        case .prekey:
            let (session, text, used) = try SessionCipher.receiveFirst(
                bytes, existing: state.sessions[address], as: identity, preKeys: localPreKeys)
            state.sessions[address] = session
            if let used { state.keys.oneTimePreKeys.removeAll { $0.id == Int(used) } }
            plaintext = text
        case .message:
            guard var session = state.sessions[address] else { throw SignalError.noSession }
            plaintext = try SessionCipher.decrypt(bytes, in: &session)
            state.sessions[address] = session
        }
        switch try MessageContent(decoding: plaintext) {
        case .message(let body):
            return Received(
                id: envelope.id, group: nil, sender: envelope.senderId, senderDevice: envelope.senderDeviceId, plaintext: body, sentAt: envelope.sentAt)
        case .senderKeyDistribution(let group, let distribution):
            // Only for the group the server says it was sent in: a member of one group cannot
            // plant a key for another.
            guard envelope.conversationId == group else { throw SignalError.malformedMessage }
            state.senderKeys[Self.senderKeyName(group, envelope.senderId, envelope.senderDeviceId), default: SenderKeyRecord()]
                .add(distribution.receivingState)
            return nil
        }
    }

    // MARK: Verifying

    /// The 60-digit safety number of this device and `device` of `account` (the account IDs as
    /// stable identifiers, the devices' identity keys), which both people see alike and compare
    /// out of band; nil until there is a session with that device. A different number means a
    /// different key: a new device, or someone in between.
    public func safetyNumber(with account: AccountID, device: Int) -> String? {
        guard let session = state.sessions["\(account).\(device)"] else { return nil }
        return SafetyNumber.displayed(
            localID: Array(state.account.description.utf8), localKey: state.keys.identity.publicKey, remoteID: Array(account.description.utf8),
            remoteKey: session.remoteIdentity)
    }

    // MARK: Keys

    var identity: SignalIdentity {
        SignalIdentity(identity: Self.pair(state.keys.identity), registrationID: UInt32(state.keys.registrationId))
    }

    var localPreKeys: SessionCipher.LocalPreKeys {
        SessionCipher.LocalPreKeys(
            signed: [UInt32(state.keys.signedPreKey.id): Self.pair(state.keys.signedPreKey)],
            oneTime: Dictionary(state.keys.oneTimePreKeys.map { (UInt32($0.id), Self.pair($0)) }, uniquingKeysWith: { _, last in last }))
    }

    /// The stored pair as it is: deriving each public key again would cost an X25519
    /// multiplication per one-time prekey for every first message read.
    static func pair(_ key: DeviceKeys.PreKey) -> SignalKeyPair { SignalKeyPair(storedPrivateKey: key.privateKey, publicKey: key.publicKey) }

    static func remote(_ bundle: PreKeyBundle) throws -> RemoteBundle {
        func raw(_ text: String) throws -> [UInt8] {
            guard let data = Data(base64Encoded: text), data.count == 33, data.first == 0x05 else { throw SignalError.invalidKey }
            return Array(data.dropFirst())
        }
        return RemoteBundle(
            registrationID: UInt32(bundle.registrationId), identityKey: try raw(bundle.identityKey), signedPreKeyID: UInt32(bundle.signedPreKey.keyId),
            signedPreKey: try raw(bundle.signedPreKey.publicKey),
            signedPreKeySignature: [UInt8](Data(base64Encoded: bundle.signedPreKey.signature) ?? Data()),
            preKeyID: bundle.oneTimePreKey.map { UInt32($0.keyId) }, preKey: try bundle.oneTimePreKey.map { try raw($0.publicKey) })
    }

    static func parse(_ address: String) -> (AccountID, Int)? {
        let parts = address.split(separator: ".")
        guard parts.count == 2, let account = AccountID(String(parts[0])), let device = Int(parts[1]) else { return nil }
        return (account, device)
    }
}
