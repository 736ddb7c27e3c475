import EntativaModels
import Foundation
import Logging
import SQLKit
import Synchronization

/// Fans events out to the sockets of this process and, through the database, of every other
/// instance. Every event is also written to a short log (`realtime_events`) in the transaction
/// that caused it, so a client that reconnects with the last ID it saw gets what it missed.
///
/// On PostgreSQL an event reaches sockets only through `NOTIFY`, which PostgreSQL sends at commit
/// and in commit order, to every instance including this one: an event of a rolled-back
/// transaction is never seen, and one path serves local and remote sockets alike. SQLite has one
/// process, so `didCommit` hands the events to local sockets directly.
public final class RealtimeHub: Sendable {
    public static let notifyChannel = "entativa_realtime"
    /// PostgreSQL refuses NOTIFY payloads of 8,000 bytes or more; bigger events are read back by ID.
    static let maxInlinePayload = 7_000

    let database: AppDatabase
    let ids: IDGenerator
    let clock: any WallClock
    let logger: Logger
    public let resumeWindow: Duration
    public let sendQueueCapacity: Int
    public let socketsPerAccount: Int
    /// Set when a listener starts, and true once it has subscribed; readiness waits for it.
    let listenerStarted = Atomic<Bool>(false)
    let listening: Atomic<Bool>
    private let state = Mutex<(nextID: Int, sockets: [AccountID: [Int: RealtimeConnection]])>((1, [:]))
    private let presenceObservers = Mutex<[PresenceObserver]>([])

    public init(
        database: AppDatabase, ids: IDGenerator, clock: any WallClock, logger: Logger, resumeWindow: Duration, sendQueueCapacity: Int,
        socketsPerAccount: Int
    ) {
        self.socketsPerAccount = socketsPerAccount
        self.database = database
        self.ids = ids
        self.clock = clock
        self.logger = logger
        self.resumeWindow = resumeWindow
        self.sendQueueCapacity = sendQueueCapacity
        listening = Atomic(database.engine == .sqlite)
    }

    /// Whether events from other instances reach this one's sockets (trivially so on SQLite, or
    /// when no listener runs in this process, as in tests that drive the router directly).
    public var isListening: Bool { !listenerStarted.load(ordering: .relaxed) || listening.load(ordering: .relaxed) }

    // MARK: Producing

    /// Records `type` with `payload` for each account in the caller's transaction. Call
    /// `didCommit` with the answer once the transaction has committed.
    public func publish<Payload: Encodable>(
        _ type: String, _ payload: Payload, to accounts: [AccountID], on db: any SQLDatabase
    ) async throws -> [RealtimeEvent] {
        let json = String(decoding: try EntativaJSON.encoder().encode(payload), as: UTF8.self)
        return try await publish(type, payloadJSON: json, to: accounts, on: db)
    }

    public func publish(_ type: String, payloadJSON: String, to accounts: [AccountID], on db: any SQLDatabase) async throws -> [RealtimeEvent] {
        let now = clock.nowMillis()
        let events = accounts.map { RealtimeEvent(id: ids.next(), accountID: $0, type: type, payloadJSON: payloadJSON, createdAt: now) }
        try await record(events, on: db)
        return events
    }

    /// Records events made by the caller (e.g. in a batch) in its transaction, a thousand to a
    /// statement: a group message makes one per device, thousands for a full group.
    public func record(_ events: [RealtimeEvent], on db: any SQLDatabase) async throws {
        for start in stride(from: 0, to: events.count, by: 1_000) {
            let chunk = events[start..<min(start + 1_000, events.count)]
            let rows = chunk.map {
                SQLGroupExpression([SQLBind($0.id), SQLBind($0.accountID.rawValue), SQLBind($0.type), SQLBind($0.payloadJSON), SQLBind($0.createdAt)])
            }
            try await db.raw("""
                INSERT INTO realtime_events (id, account_id, type, payload, created_at) VALUES \(SQLList(rows))
                """).run()
            if database.engine == .postgres { try await notify(Array(chunk), on: db) }
        }
    }

    /// One `NOTIFY` per event, which every instance's listener hands to its sockets.
    func notify(_ events: [RealtimeEvent], on db: any SQLDatabase) async throws {
        guard !events.isEmpty else { return }
        let messages = events.map { SQLGroupExpression([SQLBind(Self.notification(for: $0))]) }
        try await db.raw("""
            SELECT pg_notify(\(bind: Self.notifyChannel), message) FROM (VALUES \(SQLList(messages))) AS m(message)
            """).run()
    }

    /// Hands committed events to this process's sockets when no database notification will.
    public func didCommit(_ events: [RealtimeEvent]) {
        guard database.engine == .sqlite else { return }
        for event in events { deliver(event) }
    }

    /// `publish` in its own transaction, then `didCommit`.
    @discardableResult
    public func send<Payload: Encodable & Sendable>(_ type: String, _ payload: Payload, to accounts: [AccountID]) async throws -> [RealtimeEvent] {
        let events = try await database.transaction { db in try await self.publish(type, payload, to: accounts, on: db) }
        didCommit(events)
        return events
    }

    /// The most an ephemeral event's wire text may hold: it travels inside one `NOTIFY` and is
    /// never written where a big one could be read back.
    public static let maxEphemeralBytes = 6_000

    /// Sends `type` to the accounts' sockets on every instance without writing it anywhere:
    /// for what matters only now (typing, receipts, call signalling). A socket that is not
    /// connected misses it, and a resume does not bring it back. False when the event is too
    /// big to travel this way.
    @discardableResult
    public func sendEphemeral<Payload: Encodable & Sendable>(_ type: String, _ payload: Payload, to accounts: [AccountID]) async throws -> Bool {
        let json = String(decoding: try EntativaJSON.encoder().encode(payload), as: UTF8.self)
        let now = clock.nowMillis()
        let events = accounts.map { RealtimeEvent(id: ids.next(), accountID: $0, type: type, payloadJSON: json, createdAt: now, ephemeral: true) }
        guard events.allSatisfy({ $0.wireText.utf8.count <= Self.maxEphemeralBytes }) else { return false }
        // Under `maxInlinePayload`, so each notification carries the event itself, never an ID to read back.
        if database.engine == .postgres {
            try await notify(events, on: database.sql)
        } else {
            didCommit(events)
        }
        return true
    }

    // MARK: Delivering

    func deliver(_ event: RealtimeEvent) {
        let targets = state.withLock { Array(($0.sockets[event.accountID] ?? [:]).values) }
        for connection in targets where !connection.offer(.event(event)) && connection.didOverflow {
            logger.info("realtime client fell behind; disconnected", metadata: ["account_id": "\(event.accountID)"])
        }
    }

    /// `<account>\n<wire text>` or, for a big event, `<account>\n#<id>` to be read back.
    static func notification(for event: RealtimeEvent) -> String {
        let wire = event.wireText
        return wire.utf8.count <= maxInlinePayload ? "\(event.accountID.rawValue)\n\(wire)" : "\(event.accountID.rawValue)\n#\(event.id)"
    }

    /// Delivers one `NOTIFY` payload received from the database.
    func receive(notification payload: String) async {
        guard let newline = payload.firstIndex(of: "\n"), let account = Int64(payload[..<newline]) else { return }
        let body = payload[payload.index(after: newline)...]
        if body.hasPrefix("#") {
            guard let id = Int64(body.dropFirst()), let event = try? await event(id: id) else { return }
            deliver(event)
        } else if let event = Self.parse(wire: String(body), account: AccountID(rawValue: account)) {
            deliver(event)
        }
    }

    static func parse(wire: String, account: AccountID) -> RealtimeEvent? {
        struct Head: Decodable { var id: String?; var type: String }
        guard let head = try? JSONDecoder().decode(Head.self, from: Data(wire.utf8)), let start = wire.range(of: ",\"payload\":")?.upperBound else { return nil }
        let payload = String(wire[start..<wire.index(before: wire.endIndex)])
        // An ephemeral event's frame has no ID, and it is in no log to be read back from.
        guard let text = head.id else { return RealtimeEvent(id: 0, accountID: account, type: head.type, payloadJSON: payload, createdAt: 0, ephemeral: true) }
        guard let id = Int64(text) else { return nil }
        return RealtimeEvent(id: id, accountID: account, type: head.type, payloadJSON: payload, createdAt: 0)
    }

    // MARK: Sockets

    /// Registers a socket. One account holds at most `socketsPerAccount` here: the newest wins and
    /// the oldest is closed (`RealtimeConnection.tooManyCode`), since the newest is the device the
    /// person is holding, and a stolen token can't pile up sockets and the memory behind them.
    public func connect(_ account: AccountID) -> RealtimeConnection {
        let (connection, evicted) = state.withLock { state in
            let connection = RealtimeConnection(id: state.nextID, accountID: account, capacity: sendQueueCapacity)
            state.nextID += 1
            var sockets = state.sockets[account, default: [:]]
            let first = sockets.isEmpty
            var evicted: [RealtimeConnection] = []
            while sockets.count >= max(1, socketsPerAccount), let oldest = sockets.keys.min() {
                evicted.append(sockets.removeValue(forKey: oldest)!)
            }
            sockets[connection.id] = connection
            state.sockets[account] = sockets
            // Under the lock, so an account's changes reach observers in the order they happened.
            if first { announcePresence(account, online: true) }
            return (connection, evicted)
        }
        for old in evicted { old.evict() }
        return connection
    }

    public func disconnect(_ connection: RealtimeConnection) {
        state.withLock { state in
            guard state.sockets[connection.accountID]?.removeValue(forKey: connection.id) != nil,
                state.sockets[connection.accountID]?.isEmpty == true
            else { return }
            state.sockets[connection.accountID] = nil
            announcePresence(connection.accountID, online: false)
        }
        connection.finish()
    }

    /// Told, under the hub's lock (so it must only hand the news on), when an account's first
    /// socket on this instance connects and when its last one goes: what presence builds on.
    public typealias PresenceObserver = @Sendable (_ account: AccountID, _ online: Bool) -> Void

    public func observePresence(_ observer: @escaping PresenceObserver) {
        presenceObservers.withLock { $0.append(observer) }
    }

    private func announcePresence(_ account: AccountID, online: Bool) {
        for observer in presenceObservers.withLock({ $0 }) { observer(account, online) }
    }

    /// The accounts with a socket on this instance.
    public var connectedAccounts: [AccountID] { state.withLock { Array($0.sockets.keys) } }

    /// Ends every local socket; their clients reconnect and resume from the log. Used when the
    /// database notifications stopped for a while and events may have passed them by.
    func disconnectAll() {
        let all = state.withLock { state in state.sockets.values.flatMap(\.values) }
        for connection in all { connection.finish() }
    }

    public var connectionCount: Int { state.withLock { $0.sockets.values.reduce(0) { $0 + $1.count } } }

    // MARK: The resume log

    /// Events for `account` after `lastID` still inside the resume window, oldest first; and
    /// whether that is all it missed (false when `lastID` fell out of the window or is unknown,
    /// or when more than `limit` are waiting).
    public func backlog(for account: AccountID, after lastID: Int64, limit: Int = 1000) async throws -> (events: [RealtimeEvent], complete: Bool) {
        let since = clock.nowMillis() - resumeWindow.milliseconds
        let rows = try await database.sql.raw("""
            SELECT id, account_id, type, payload, created_at FROM realtime_events
            WHERE account_id = \(bind: account.rawValue) AND id > \(bind: lastID) AND created_at >= \(bind: since)
            ORDER BY id LIMIT \(bind: limit + 1)
            """).all()
        let events = try rows.prefix(limit).map(Self.event(from:))
        let lastStillLogged = try await database.sql.raw("""
            SELECT 1 AS found FROM realtime_events
            WHERE id = \(bind: lastID) AND account_id = \(bind: account.rawValue) AND created_at >= \(bind: since)
            """).first() != nil
        return (events, rows.count <= limit && lastStillLogged)
    }

    func event(id: Int64) async throws -> RealtimeEvent? {
        try await database.sql.raw("SELECT id, account_id, type, payload, created_at FROM realtime_events WHERE id = \(bind: id)")
            .first().map(Self.event(from:))
    }

    static func event(from row: any SQLRow) throws -> RealtimeEvent {
        RealtimeEvent(
            id: try row.decode(column: "id", as: Int64.self), accountID: AccountID(rawValue: try row.decode(column: "account_id", as: Int64.self)),
            type: try row.decode(column: "type", as: String.self), payloadJSON: try row.decode(column: "payload", as: String.self),
            createdAt: try row.decode(column: "created_at", as: Int64.self))
    }

    /// Forgets events older than twice the resume window.
    public func purge() async throws {
        let cutoff = clock.nowMillis() - 2 * resumeWindow.milliseconds
        try await database.sql.raw("DELETE FROM realtime_events WHERE created_at < \(bind: cutoff)").run()
    }
}
