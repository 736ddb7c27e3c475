// swift-tools-version:6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "entativa",
    platforms: [.macOS(.v15), .iOS(.v18)],
    products: [
        .executable(name: "entativa", targets: ["entativa"]),
        .library(name: "EntativaKit", targets: ["EntativaKit"]),
        .library(name: "EntativaModels", targets: ["EntativaModels"]),
        .library(name: "EntativaCrypto", targets: ["EntativaCrypto"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        .target(name: "EntativaModels", swiftSettings: strict),
        .target(
            name: "EntativaCore",
            dependencies: [
                "EntativaModels",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Identity",
            dependencies: [
                "EntativaCore", "EntativaModels",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            resources: [.copy("Resources/common-passwords.txt")],
            swiftSettings: strict
        ),
        .target(
            name: "Media",
            dependencies: [
                "EntativaCore", "EntativaModels",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "MultipartKit", package: "multipart-kit"),
            ],
            swiftSettings: strict
        ),
        .target(name: "Graph", dependencies: ["EntativaCore", "EntativaModels", "Identity"], swiftSettings: strict),
        .target(name: "Posts", dependencies: ["EntativaCore", "EntativaModels", "Identity", "Graph", "Media"], swiftSettings: strict),
        .target(
            name: "Stories", dependencies: ["EntativaCore", "EntativaModels", "Identity", "Graph", "Media", "Feed", "Messaging"], swiftSettings: strict),
        .target(name: "Takes", dependencies: ["EntativaCore", "EntativaModels", "Identity", "Graph", "Media", "Posts", "Feed"], swiftSettings: strict),
        .target(name: "Search", dependencies: ["EntativaCore", "EntativaModels", "Identity", "Graph", "Posts", "Takes"], swiftSettings: strict),
        .target(name: "Feed", dependencies: ["EntativaCore", "EntativaModels", "Graph", "Posts", "Messaging"], swiftSettings: strict),
        .target(
            name: "Messaging",
            dependencies: [
                "EntativaCore", "EntativaModels", "EntativaCrypto", "Identity", "Graph", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "DeliveryChannels",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Notifications",
            dependencies: [
                "EntativaCore", "EntativaModels", "Identity", "Graph", "DeliveryChannels",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "EntativaServer",
            dependencies: [
                "EntativaCore", "Identity", "Media", "Graph", "Posts", "Notifications", "Stories", "Takes", "Search", "Feed", "Messaging",
                "DeliveryChannels", .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "EntativaCrypto",
            dependencies: [.product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .target(
            name: "EntativaKit",
            dependencies: [
                "EntativaModels", "EntativaCrypto", .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "entativa",
            dependencies: [
                "EntativaServer", "EntativaKit", "Media", "Identity", "Graph", "Notifications", "Stories", "Search",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "EntativaTestSupport",
            dependencies: [
                "EntativaServer", "EntativaCore", "Identity", "Media", "Graph", "Posts", "Notifications", "Feed",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            ],
            path: "Tests/Support",
            swiftSettings: strict
        ),
        .testTarget(name: "EntativaCoreTests", dependencies: ["EntativaTestSupport"], swiftSettings: strict),
        .testTarget(name: "IdentityTests", dependencies: ["EntativaTestSupport"], swiftSettings: strict),
        .testTarget(name: "MediaTests", dependencies: ["EntativaTestSupport"], swiftSettings: strict),
        .testTarget(name: "GraphTests", dependencies: ["EntativaTestSupport"], swiftSettings: strict),
        .testTarget(name: "PostsTests", dependencies: ["EntativaTestSupport"], swiftSettings: strict),
        .testTarget(name: "StoriesTests", dependencies: ["EntativaTestSupport", "Stories", "EntativaKit"], swiftSettings: strict),
        .testTarget(name: "TakesTests", dependencies: ["EntativaTestSupport", "Takes", "EntativaKit"], swiftSettings: strict),
        .testTarget(name: "SearchTests", dependencies: ["EntativaTestSupport", "Search", "EntativaKit"], swiftSettings: strict),
        .testTarget(
            name: "FeedTests", dependencies: ["EntativaTestSupport", "EntativaServer", "EntativaKit", "Feed", "Graph", "Posts"], swiftSettings: strict),
        .testTarget(name: "NotificationsTests", dependencies: ["EntativaTestSupport", "Notifications", "DeliveryChannels"], swiftSettings: strict),
        .testTarget(
            name: "DeliveryChannelsTests",
            dependencies: ["DeliveryChannels", .product(name: "Crypto", package: "swift-crypto"), .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "EntativaCryptoTests",
            dependencies: ["EntativaCrypto", "EntativaTestSupport", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "MessagingTests",
            dependencies: ["EntativaTestSupport", "EntativaKit", "EntativaCrypto", "Messaging", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .testTarget(name: "EntativaKitTests", dependencies: ["EntativaKit", "EntativaTestSupport"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
