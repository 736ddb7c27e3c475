import EntativaCore
import EntativaModels
import Foundation
import Hummingbird

/// The media domain: uploads (simple and tus), validation, processing jobs, storage and delivery.
public struct MediaModule: DomainModule {
    public let env: MediaEnvironment
    let uploads: ResumableUploads

    public static let migrations: [any SQLMigration] = [CreateMediaTables()]

    /// Builds the module on `blobs`, or on the store the settings name (S3 or local disk);
    /// `owners` answers whether an owner's account is public, private or hidden.
    public init(
        kernel: Kernel, settings: MediaSettings, owners: any MediaOwners, blobs: (any BlobStore)? = nil, tools: MediaTools = MediaTools()
    ) async throws {
        let store = try blobs ?? Self.configuredStore(settings, dataDirectory: kernel.config.dataDirectory)
        let key = try await ServerSecrets.value(named: "media-url-signing", database: kernel.database, clock: kernel.clock)
        let policy = MediaPolicy()
        let urls = MediaURLs(
            baseURL: kernel.config.publicURL, key: key, clock: kernel.clock, lifetime: settings.signedURLLifetime,
            encryptedLifetimeMillis: policy.encryptedLifetimeMillis)
        env = try MediaEnvironment(kernel: kernel, settings: settings, blobs: store, tools: tools, policy: policy, urls: urls, owners: owners)
        uploads = ResumableUploads(env: env)
        MediaProcessing(env: env).registerJobs()
        try MediaCollector(env: env).registerJobs()
        MediaErasure(env: env).subscribe()
    }

    static func configuredStore(_ settings: MediaSettings, dataDirectory: String) throws -> any BlobStore {
        if let storage = settings.objectStorage {
            return S3BlobStore(configuration: storage)
        }
        return try LocalBlobStore(root: URL(fileURLWithPath: dataDirectory).appendingPathComponent("blobs"))
    }

    public func registerRoutes(_ routes: ModuleRoutes) {
        let (anyone, signedIn) = (routes.anyone, routes.signedIn)
        MediaSchemas.register(in: env.kernel.document)
        MediaRoutes(env: env).register(anyone: anyone, signedIn: signedIn)
        TusRoutes(env: env, uploads: uploads).register(anyone: anyone, signedIn: signedIn)
        MediaFileRoutes(env: env).register(router: routes.router, document: routes.document)
    }
}

enum MediaSchemas {
    static func register(in document: OpenAPIDocument) {
        document.addSchema(
            "MediaUpload",
            Schema.object(
                [
                    "file": ["type": "string", "format": "binary"], "private": Schema.string(values: ["true", "false"]),
                    "encrypted": Schema.string(values: ["true", "false"]),
                ],
                required: ["file"]))
        let focal = Schema.object(
            ["x": ["type": "number", "minimum": -1, "maximum": 1], "y": ["type": "number", "minimum": -1, "maximum": 1]], required: ["x", "y"])
        document.addSchema("FocalPoint", focal)
        document.addSchema(
            "MediaVariant",
            Schema.object(
                [
                    "name": Schema.string(), "url": Schema.string(), "content_type": Schema.string(), "width": Schema.integer(),
                    "height": Schema.integer(), "bitrate": Schema.integer(),
                ], required: ["name", "url", "content_type"]))
        document.addSchema(
            "MediaAttachment",
            Schema.object(
                [
                    "id": Schema.id, "kind": Schema.string(values: MediaKind.allCases.map(\.rawValue)),
                    "state": Schema.string(values: ["pending", "processing", "ready", "failed"]),
                    "progress": Schema.integer(minimum: 0, maximum: 100), "failure_reason": Schema.string(),
                    "width": Schema.integer(), "height": Schema.integer(), "duration_seconds": ["type": "number"],
                    "alt_text": Schema.string(), "focal_point": Schema.ref("FocalPoint"), "blurhash": Schema.string(),
                    "dominant_color": Schema.string(pattern: "^#[0-9a-f]{6}$"), "waveform": Schema.array(["type": "number"]),
                    "is_private": Schema.boolean, "variants": Schema.array(Schema.ref("MediaVariant")), "created_at": Schema.timestamp,
                ],
                required: ["id", "kind", "state", "progress", "is_private", "variants", "created_at"]))
        document.addSchema(
            "UpdateMediaRequest",
            Schema.object(["alt_text": Schema.string(maxLength: 1500), "focal_point": Schema.ref("FocalPoint")]))
    }
}
