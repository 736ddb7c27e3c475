import EntativaCore

/// Unacknowledged envelopes go after 30 days; a device away longer re-syncs from its peers.
struct EnvelopeExpiry: Sendable {
    let env: MessagingEnvironment

    struct Sweep: Codable, Sendable {}
    static let sweepJob = JobDefinition<Sweep>("messaging.expire_envelopes", maxAttempts: 5)

    func register() throws {
        let envelopes = Envelopes(env: env)
        env.kernel.jobs.register(Self.sweepJob) { _ in _ = try await envelopes.deleteExpired() }
        try env.kernel.jobs.every(Self.sweepJob, interval: .seconds(3_600), payload: Sweep())
    }
}
