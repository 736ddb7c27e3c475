import EntativaCore

/// Media's settings: upload quotas and lifetimes, signed URLs, and where blobs live (`S3_*`).
public struct MediaSettings: ModuleSettings {
    /// Media uploads (simple or tus) an account may start per hour, and bytes per day.
    public var uploadsPerHour: Int = 100
    public var uploadBytesPerDay: Int64 = 5 << 30
    /// A tus upload untouched this long expires and its bytes are deleted.
    public var uploadLifetime: Duration = .seconds(24 * 3600)
    /// Media never attached to anything are deleted after this long.
    public var unattachedMediaLifetime: Duration = .seconds(24 * 3600)
    /// How long a signed URL of private media stays valid.
    public var signedURLLifetime: Duration = .seconds(3600)
    /// S3-compatible object storage; local disk under the data directory when nil.
    public var objectStorage: S3Configuration?

    public init() {}

    public init(reading reader: SettingsReader) throws {
        objectStorage = try S3Configuration(reading: reader)
    }

    /// Media's part of what `/api/v1/instance` publishes.
    public var publicLimits: [String: Double] {
        [
            "uploads_per_hour": Double(uploadsPerHour),
            "upload_bytes_per_day": Double(uploadBytesPerDay),
            "upload_lifetime_seconds": uploadLifetime.publishedSeconds,
            "unattached_media_lifetime_seconds": unattachedMediaLifetime.publishedSeconds,
            "signed_url_lifetime_seconds": signedURLLifetime.publishedSeconds,
        ]
    }
}
