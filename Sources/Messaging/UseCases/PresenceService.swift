import EntativaCore
import EntativaModels
import Logging
import ServiceLifecycle

/// Keeps this instance's presence rows true: applies the hub's news of first and last sockets in
/// the order they happened, and refreshes the instance's rows every minute while it holds
/// sockets (an idle instance sends nothing). On start it drops rows a previous run of the same
/// instance left behind.
public struct PresenceService: Service {
    let env: MessagingEnvironment
    let changes: AsyncStream<(AccountID, Bool)>

    init(env: MessagingEnvironment) {
        self.env = env
        let (changes, continuation) = AsyncStream.makeStream(of: (AccountID, Bool).self, bufferingPolicy: .bufferingNewest(100_000))
        self.changes = changes
        env.kernel.realtime.observePresence { account, online in continuation.yield((account, online)) }
    }

    public func run() async throws {
        let env = self.env
        let instance = env.kernel.config.instanceNumber
        try await env.database.transaction { db in try await PresenceStore.forget(instance: instance, on: db) }
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await (account, online) in changes {
                        do {
                            try await Presence(env: env).changed(account, online: online)
                        } catch {
                            env.kernel.logger.warning("presence change not recorded", metadata: ["account_id": "\(account)", "error": "\(error)"])
                        }
                    }
                }
                group.addTask {
                    while (try? await Task.sleep(for: Presence.heartbeat)) != nil {
                        guard !env.kernel.realtime.connectedAccounts.isEmpty else { continue }
                        let now = env.now
                        try? await env.database.transaction { db in try await PresenceStore.refresh(instance: instance, now: now, on: db) }
                    }
                }
                await group.waitForAll()
            }
        }
    }
}
