import Synchronization

/// Wakes one waiting loop. A signal sent while nobody waits is kept (once), so a loop that was
/// busy when work arrived does not sleep through it.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns when signalled, after `timeout`, or when the task is cancelled.
    func wait(upTo timeout: Duration) async {
        if state.withLock({ state in defer { state.pending = false }; return state.pending }) { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: timeout) }
            group.addTask { await self.waitForSignal() }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForSignal() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state in
                    if state.pending || Task.isCancelled {
                        state.pending = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { state in defer { state.waiter = nil }; return state.waiter }?.resume()
        }
    }
}

/// The wake-up signals of one process's job loops, by lane name, plus the outbox dispatcher's.
final class JobWakeUps: Sendable {
    /// The outbox dispatcher's name on the PostgreSQL channel; no lane name starts with `@`.
    static let outbox = "@outbox"
    /// The PostgreSQL channel enqueuing transactions notify, with a lane name or `outbox` as payload.
    static let channel = "entativa_jobs"

    private let signals = Mutex<[String: WakeSignal]>([:])

    func signal(for name: String) -> WakeSignal {
        signals.withLock { signals in
            if let signal = signals[name] { return signal }
            let signal = WakeSignal()
            signals[name] = signal
            return signal
        }
    }

    func wake(_ name: String) { signal(for: name).signal() }

    func wakeAll() {
        for signal in signals.withLock({ Array($0.values) }) { signal.signal() }
    }
}
