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

    var database: AppDatabase { kernel.database }
    var now: Int64 { kernel.clock.nowMillis() }
}
