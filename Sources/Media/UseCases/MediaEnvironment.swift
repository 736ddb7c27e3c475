import EntativaCore
import EntativaModels
import Foundation

/// What the media use cases share.
public final class MediaEnvironment: Sendable {
    public let kernel: Kernel
    public let settings: MediaSettings
    public let blobs: any BlobStore
    public let tools: MediaTools
    public let policy: MediaPolicy
    public let urls: MediaURLs
    /// Whether owners are public, private or hidden (suspended, deleted).
    public let owners: any MediaOwners
    /// Scratch space for processing; each job works in its own subdirectory and removes it.
    let workRoot: URL
    /// Partial tus uploads, on local disk whatever the blob store: appends need a file.
    let uploadRoot: URL

    public init(
        kernel: Kernel, settings: MediaSettings, blobs: any BlobStore, tools: MediaTools, policy: MediaPolicy, urls: MediaURLs,
        owners: any MediaOwners
    ) throws {
        self.kernel = kernel
        self.settings = settings
        self.owners = owners
        self.blobs = blobs
        self.tools = tools
        self.policy = policy
        self.urls = urls
        let data = URL(fileURLWithPath: kernel.config.dataDirectory)
        workRoot = data.appendingPathComponent("work")
        uploadRoot = data.appendingPathComponent("uploads")
        try FileManager.default.createDirectory(at: workRoot, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: uploadRoot, withIntermediateDirectories: true)
    }

    var now: Int64 { kernel.clock.nowMillis() }

    var uploadRule: AttemptRule {
        AttemptRule(name: "uploads", attempts: settings.uploadsPerHour, window: .seconds(3600), maxBackoff: .seconds(3600))
    }

    /// Counts one upload against the hourly quota and refuses bytes beyond the daily one.
    func chargeQuota(_ owner: AccountID, bytes: Int64) async throws {
        try await kernel.attempts.consume(uploadRule, keys: ["account:\(owner)"])
        let since = now - 24 * 3_600_000
        let used = try await MediaStore.bytesUploaded(by: owner, since: since, on: kernel.database.sql)
        guard used + bytes <= settings.uploadBytesPerDay else {
            throw AppError(
                status: 413, code: "quota-exceeded", title: "Upload quota exceeded",
                detail: "Accounts may upload \(settings.uploadBytesPerDay >> 20) MB a day; \(max(0, settings.uploadBytesPerDay - used) >> 20) MB are left.")
        }
    }

    func temporaryFile() -> URL {
        workRoot.appendingPathComponent("incoming-\(UUID().uuidString)")
    }
}
