import EntativaCore
import EntativaModels

/// What the story use cases share.
public final class StoriesEnvironment: Sendable {
    public let kernel: Kernel
    public let settings: StoriesSettings

    public init(kernel: Kernel, settings: StoriesSettings) {
        self.kernel = kernel
        self.settings = settings
    }

    var database: AppDatabase { kernel.database }
    var now: Int64 { kernel.clock.nowMillis() }
}
