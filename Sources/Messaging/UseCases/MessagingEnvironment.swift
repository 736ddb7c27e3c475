import EntativaCore
import EntativaModels
import Graph
import Identity
import Synchronization

/// What the messaging use cases share.
public final class MessagingEnvironment: Sendable {
    public let kernel: Kernel
    public let settings: MessagingSettings
    let standings: AccountStandings
    let bundleRule: AttemptRule
    let requestRule: AttemptRule
    let graph: GraphEnvironment
    /// Commits concurrent direct sends together; one per process.
    let sendBatcher = DirectSendBatcher()

    /// Direct sends committed in batches so far, and the transactions that stored them.
    public var sendBatching: (sends: Int, commits: Int) {
        (sendBatcher.batched.load(ordering: .relaxed), sendBatcher.commits.load(ordering: .relaxed))
    }

    public init(kernel: Kernel, settings: MessagingSettings, identity: IdentityEnvironment, graph: GraphEnvironment) {
        self.kernel = kernel
        self.settings = settings
        self.graph = graph
        standings = AccountStandings(env: identity)
        bundleRule = AttemptRule(name: "prekey_bundles", attempts: settings.bundleFetchesPerHour, window: .seconds(3_600), maxBackoff: .seconds(3_600))
        requestRule = AttemptRule(
            name: "message_requests", attempts: settings.messageRequestsPerDay, window: .seconds(24 * 3_600), maxBackoff: .seconds(24 * 3_600))
    }

    /// Whether `caller` may reach `account` at all (its keys, messages, calls): the account is
    /// active and neither blocks the other. Otherwise not found, which says no more than that.
    func requireReachable(_ account: AccountID, from caller: AccountID) async throws {
        guard try await standings.of([account])[account]?.isActive == true, try await !kernel.blocks.eitherBlocks(caller, account)
        else { throw AppError.notFound("account") }
    }

    /// Whether `owner` has a connection with `other` (follows them, or they are friends): a first
    /// message from a connection needs no accepting.
    func isContact(_ other: AccountID, of owner: AccountID) async throws -> Bool {
        guard other != owner else { return true }
        let connections = try await Connections(env: graph).of(owner, with: [other])
        return connections.following.contains(other) || connections.friends.contains(other)
    }

    /// Which of `owners` have a connection with `other`, in one look-up.
    func contacts(_ other: AccountID, among owners: [AccountID]) async throws -> Set<AccountID> {
        let others = owners.filter { $0 != other }
        guard !others.isEmpty else { return [] }
        let connections = try await Connections(env: graph).between(recipients: others, actors: [other])
        return Set(others.filter { connections.following.contains(AccountPair($0, other)) || connections.friends.contains(AccountPair($0, other)) })
    }

    var database: AppDatabase { kernel.database }
    var now: Int64 { kernel.clock.nowMillis() }
}
