import EntativaCore
import EntativaModels
import Foundation
import SQLKit
import Synchronization

/// Group commit for the common direct send: one whose conversation needs nothing but its
/// activity marked. Sends that arrive while a commit is under way wait for the next one, which
/// stores all of them in one transaction of a fixed number of statements — the devices of
/// every account addressed, one conversation update, one envelope insert, one realtime insert —
/// instead of seven statements and a synchronous commit each. There is no timer: an idle relay
/// commits a lone send at once, and a busy one batches exactly what queued meanwhile.
///
/// Each send is still checked against the devices as they are inside the transaction that
/// stores it, and answered only after that transaction commits. A send whose addressing is
/// wrong gets its 409 alone. If the batch's transaction fails on a unique constraint, every
/// send in it is retried in a transaction of its own; any other failure is the database's and
/// fails them all at once (see `commitBatch`).
final class DirectSendBatcher: Sendable {
    /// A send waiting for its commit.
    struct Send: Sendable {
        var form: SendMessageRequest
        var contents: [String]
        var sender: DeviceStore.Row
        var caller: AccountID
        var conversation: ConversationID
        var now: Int64
        var story: StoryID?
    }

    /// What a committed send stored and what its sockets receive.
    struct Stored: Sendable {
        var rows: [EnvelopeStore.Row]
        var events: [RealtimeEvent]
    }

    private struct Waiting {
        var send: Send
        var answer: CheckedContinuation<Stored, any Error>
    }

    private struct State {
        var queue: [Waiting] = []
        var committing = false
    }

    /// Bound one transaction — its statements' bound values, their bytes, and the time its
    /// senders wait — however many large sends queue at once. A single send over either bound
    /// still goes, alone.
    static let maxEnvelopesPerCommit = 2_000
    static let maxContentBytesPerCommit = 8 << 20

    private let state = Mutex(State())
    /// Sends committed together and the transactions that stored them, for the bench and tests.
    let batched = Atomic<Int>(0)
    let commits = Atomic<Int>(0)

    /// Stores `send` with whatever else is waiting; answers once it is durable.
    func commit(_ send: Send, env: MessagingEnvironment) async throws -> Stored {
        try await withCheckedThrowingContinuation { answer in
            let leads = state.withLock { state in
                state.queue.append(Waiting(send: send, answer: answer))
                guard !state.committing else { return false }
                state.committing = true
                return true
            }
            // The commit runs apart from the request that started it: a client hanging up must
            // not cancel the other senders' transaction, nor lend it its logger and priority.
            if leads { Task.detached { await self.drain(env: env) } }
        }
    }

    private func drain(env: MessagingEnvironment) async {
        while let batch = nextBatch() {
            await commitBatch(batch, env: env)
        }
    }

    private func nextBatch() -> [Waiting]? {
        state.withLock { state in
            guard !state.queue.isEmpty else {
                state.committing = false
                return nil
            }
            // A send too large for this batch waits at the head of the queue for the next one,
            // which it leads; smaller sends behind it need not wait with it.
            var envelopes = 0
            var bytes = 0
            var batch: [Waiting] = []
            var left: [Waiting] = []
            for waiting in state.queue {
                let size = waiting.send.contents.reduce(0) { $0 + $1.utf8.count }
                let fits = envelopes + waiting.send.contents.count <= Self.maxEnvelopesPerCommit && bytes + size <= Self.maxContentBytesPerCommit
                if batch.isEmpty || fits {
                    batch.append(waiting)
                    envelopes += waiting.send.contents.count
                    bytes += size
                } else {
                    left.append(waiting)
                }
            }
            state.queue = left
            return batch
        }
    }

    private func commitBatch(_ batch: [Waiting], env: MessagingEnvironment) async {
        let sends = batch.map(\.send)
        let outcome: [Result<Stored, any Error>]
        do {
            outcome = try await env.database.transaction { db in try await Self.store(sends, env: env, on: db) }
        } catch where batch.count > 1 && error.isUniqueViolation {
            // The one failure a send could cause for the others; each is tried again alone.
            for waiting in batch { await Self.retryAlone(waiting, env: env) }
            return
        } catch {
            // The database failed (a lost connection, a timeout, a full disk): retrying each
            // send in turn would only keep every waiting sender, and those behind them, waiting
            // as many times longer — and a commit lost in flight could store a send twice.
            for waiting in batch { waiting.answer.resume(throwing: error) }
            return
        }
        batched.add(batch.count, ordering: .relaxed)
        commits.add(1, ordering: .relaxed)
        env.kernel.realtime.didCommit(outcome.flatMap { (try? $0.get())?.events ?? [] })
        for (waiting, result) in zip(batch, outcome) { waiting.answer.resume(with: result) }
    }

    private static func retryAlone(_ waiting: Waiting, env: MessagingEnvironment) async {
        do {
            let outcome = try await env.database.transaction { db in try await store([waiting.send], env: env, on: db) }
            let result = outcome[0]
            if case .success(let stored) = result { env.kernel.realtime.didCommit(stored.events) }
            waiting.answer.resume(with: result)
        } catch {
            waiting.answer.resume(throwing: error)
        }
    }

    /// Inside the batch's transaction. IDs are taken here, in queue order, so envelopes commit
    /// in the order of their IDs on the single SQLite writer, as a send of its own would.
    private static func store(_ sends: [Send], env: MessagingEnvironment, on db: any SQLDatabase) async throws -> [Result<Stored, any Error>] {
        let devices = try await Envelopes.devices(of: Set(sends.flatMap { [$0.form.recipientId, $0.caller] }), on: db)
        var outcome: [Result<Stored, any Error>] = []
        var rows: [EnvelopeStore.Row] = []
        var latest: [Int64: Int64] = [:]
        for send in sends {
            do {
                try Envelopes.checkAddressing(send.form, sender: send.sender, caller: send.caller, devices: devices)
            } catch {
                outcome.append(.failure(error))
                continue
            }
            let stored = Envelopes.rows(
                send.form, contents: send.contents, sender: send.sender, caller: send.caller, conversation: send.conversation, now: send.now,
                story: send.story, env: env)
            rows += stored
            latest[send.conversation.rawValue] = max(latest[send.conversation.rawValue] ?? 0, send.now)
            outcome.append(.success(Stored(rows: stored, events: try Envelopes.arrivals(stored, payload: nil, env: env))))
        }
        guard !rows.isEmpty else { return outcome }
        try await ConversationStore.touch(latest, on: db)
        try await EnvelopeStore.insert(rows, on: db)
        try await env.kernel.realtime.record(outcome.flatMap { (try? $0.get())?.events ?? [] }, on: db)
        return outcome
    }
}
