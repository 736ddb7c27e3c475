import EntativaCore
import EntativaModels
import Identity

/// What the messaging use cases share.
public final class MessagingEnvironment: Sendable {
    public let kernel: Kernel
    public let settings: MessagingSettings
    let standings: AccountStandings
    let bundleRule: AttemptRule

    public init(kernel: Kernel, settings: MessagingSettings, identity: IdentityEnvironment) {
        self.kernel = kernel
        self.settings = settings
        standings = AccountStandings(env: identity)
        bundleRule = AttemptRule(name: "prekey_bundles", attempts: settings.bundleFetchesPerHour, window: .seconds(3_600), maxBackoff: .seconds(3_600))
    }

    /// Whether `caller` may reach `account` at all (its keys, messages, calls): the account is
    /// active and neither blocks the other. Otherwise not found, which says no more than that.
    func requireReachable(_ account: AccountID, from caller: AccountID) async throws {
        guard try await standings.of([account])[account]?.isActive == true, try await !kernel.blocks.eitherBlocks(caller, account)
        else { throw AppError.notFound("account") }
    }

    var database: AppDatabase { kernel.database }
    var now: Int64 { kernel.clock.nowMillis() }
}
