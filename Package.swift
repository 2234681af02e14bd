// swift-tools-version: 6.2
// SPDX-License-Identifier: Apache-2.0
import PackageDescription

/// Settings every Signet Swift target uses.
let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .strictMemorySafety(),
    .enableExperimentalFeature("Lifetimes"),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// Executables (the CLI, the fuzz driver) are tools, not library API: same settings minus strict memory safety.
let toolSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableExperimentalFeature("Lifetimes"),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Signet",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Base64URL", targets: ["Base64URL"]),
        .library(name: "SignetKeys", targets: ["SignetKeys"]),
        .library(name: "GMPVerifier", targets: ["GMPVerifier"]),
        .library(name: "JWS", targets: ["JWS"]),
        .library(name: "ClientAssertion", targets: ["ClientAssertion"]),
        .library(name: "CrossCheck", targets: ["CrossCheck"]),
        // Networking products, above the core: an app that only mints or verifies depends on the products above and
        // builds no networking package.
        .library(name: "RemoteJWKS", targets: ["RemoteJWKS"]),
        .library(name: "ReplayGuard", targets: ["ReplayGuard"]),
        .library(name: "ReplayGuardPostgres", targets: ["ReplayGuardPostgres"]),
        .library(name: "NHSEmulator", targets: ["NHSEmulator"]),
        .library(name: "TokenClient", targets: ["TokenClient"]),
        // Framework integrations, each a product of its own.
        .library(name: "SignetHummingbirdAuth", targets: ["SignetHummingbirdAuth"]),
        .library(name: "SignetJWTKit", targets: ["SignetJWTKit"]),
        // examples/gateway: the authenticator inbound, AccessTokenClient and BearerHTTPClient outbound.
        .executable(name: "signet-gateway-example", targets: ["GatewayExample"]),
        .executable(name: "signet", targets: ["signet"]),
        // The allocation counter `signet bench` preloads into itself (never linked into `signet`, so `signet serve`
        // keeps the system allocator).
        .library(name: "SignetMallocCounter", type: .dynamic, targets: ["CMallocCounter"]),
    ],
    // Networking (default): `signet serve`, `signet token` and JWKS by URL in the `signet` tool. Without it (`swift
    // build --disable-default-traits`, as `./dev bench` builds) `signet` needs only the core products, and no
    // networking package (NIO, Hummingbird, AsyncHTTPClient, PostgresNIO, two BoringSSL copies) is compiled. The
    // library products do not depend on the trait: an app that imports only core products builds none of them.
    traits: [
        .trait(
            name: "Networking",
            description:
                "signet serve, signet token and --jwks URLs in the signet tool (Hummingbird, AsyncHTTPClient, PostgresNIO)"
        ),
        .default(enabledTraits: ["Networking"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // No default traits: Signet uses neither swift-configuration nor the full-Foundation form coders, and a build
        // with the defaults differs from the one SwiftPM makes for the DocC plugin, which rebuilt Hummingbird twice.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenSSL", path: "vendor-shims/COpenSSL",
            pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(
            name: "CGMP", path: "vendor-shims/CGMP",
            pkgConfig: "gmp", providers: [.apt(["libgmp-dev"])]),
        .target(name: "CMallocCounter"),
        .target(name: "Base64URL", swiftSettings: strictSettings),
        // The AVX-512 IFMA RSA engine (C, own code): native code paths carry function-level target attributes and
        // run only where CPUID and XCR0 say IFMA is enabled; the test-only entry points are not compiled here.
        .target(
            name: "CSignetIFMA", exclude: ["README.md"]),
        // ECDSA (P-256/384/521) and Ed25519 verification (C, own code): public inputs only, no allocation, keys
        // decoded once into per-key tables.
        .target(name: "CSignetEC", exclude: ["ec_weierstrass.inc"]),
        .target(
            name: "SignetKeys", dependencies: ["COpenSSL", "Base64URL", "CSignetIFMA", "CSignetEC"],
            swiftSettings: strictSettings),
        .target(name: "GMPVerifier", dependencies: ["CGMP"], swiftSettings: strictSettings),
        .target(name: "JWS", dependencies: ["Base64URL", "SignetKeys"], swiftSettings: strictSettings),
        .target(
            name: "ClientAssertion", dependencies: ["JWS", "SignetKeys", "Base64URL"],
            swiftSettings: strictSettings),
        // The differential campaign and the cross-checked verification key: every signing path against OpenSSL
        // and GMPVerifier.
        .target(name: "CrossCheck", dependencies: ["JWS", "GMPVerifier", "SignetKeys"], swiftSettings: strictSettings),
        // Networking lives above the core: the JWKS fetched by URL (AsyncHTTPClient), for servers and verifiers.
        .target(
            name: "RemoteJWKS",
            dependencies: [
                "JWS", "NetworkSupport", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings),
        // The offline NHS token endpoint (`signet serve`): APIM's /oauth2/token and a CIS2 realm on Hummingbird.
        .target(
            name: "NHSEmulator",
            dependencies: [
                "ClientAssertion", "JWS", "SignetKeys", "Base64URL", "ReplayGuard", "RemoteJWKS", "NetworkSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings),
        // The token client: assertion, token request, cached access token (AsyncHTTPClient underneath).
        .target(
            name: "TokenClient",
            dependencies: [
                "ClientAssertion", "JWS", "SignetKeys", "Base64URL", "NetworkSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings),
        // Bearer JWTs verified by Signet in a Hummingbird service (hummingbird-auth's authenticator middleware).
        .target(
            name: "SignetHummingbirdAuth",
            dependencies: [
                "JWS", "SignetKeys", "Base64URL", "RemoteJWKS", "ReplayGuard",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings),
        // jwt-kit's algorithm protocol and its key-collection calls on Signet's keys.
        .target(
            name: "SignetJWTKit",
            dependencies: ["JWS", "SignetKeys", "Base64URL", .product(name: "JWTKit", package: "jwt-kit")],
            swiftSettings: strictSettings),
        // The replay guard: the protocol and the in-memory store (standard library only), and the PostgreSQL store
        // that several servers share.
        .target(name: "ReplayGuard", swiftSettings: strictSettings),
        // What every networking module shares and no user imports: the deadline race and the loopback predicate.
        .target(name: "NetworkSupport", swiftSettings: strictSettings),
        .target(
            name: "ReplayGuardPostgres",
            dependencies: [
                "ReplayGuard", "NetworkSupport", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),
        .executableTarget(
            name: "signet",
            dependencies: [
                "ClientAssertion", "CrossCheck", "JWS", "SignetKeys", "GMPVerifier", "Base64URL",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // `serve`, `token` and `--jwks URL`: only with the Networking trait.
                .target(name: "RemoteJWKS", condition: .when(traits: ["Networking"])),
                .target(name: "NHSEmulator", condition: .when(traits: ["Networking"])),
                .target(name: "TokenClient", condition: .when(traits: ["Networking"])),
                .target(name: "NetworkSupport", condition: .when(traits: ["Networking"])),
                .target(name: "ReplayGuard", condition: .when(traits: ["Networking"])),
                .target(name: "ReplayGuardPostgres", condition: .when(traits: ["Networking"])),
                .product(name: "Logging", package: "swift-log", condition: .when(traits: ["Networking"])),
                .product(name: "Yams", package: "Yams", condition: .when(traits: ["Networking"])),
            ],
            swiftSettings: toolSettings),
        .executableTarget(
            name: "GatewayExample",
            dependencies: [
                "SignetHummingbirdAuth", "TokenClient", "ClientAssertion", "JWS", "SignetKeys",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "examples/gateway",
            swiftSettings: toolSettings),
        .systemLibrary(name: "CFuzzerDriver", path: "vendor-shims/CFuzzerDriver"),
        .executableTarget(
            name: "SignetFuzz",
            dependencies: [
                "Base64URL", "SignetKeys", "JWS", "ClientAssertion", "CrossCheck", "GMPVerifier", "CFuzzerDriver",
                "NHSEmulator",
            ],
            swiftSettings: toolSettings),
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strictSettings),
        // A Hummingbird server on loopback for the length of a test (the test targets that already build Hummingbird).
        .target(
            name: "TestHTTPServers",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/TestHTTPServers", swiftSettings: strictSettings),
        .testTarget(name: "NetworkSupportTests", dependencies: ["NetworkSupport"], swiftSettings: strictSettings),
        .testTarget(name: "Base64URLTests", dependencies: ["Base64URL", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "SignetKeysTests", dependencies: ["SignetKeys", "Base64URL", "TestSupport"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "GMPVerifierTests", dependencies: ["GMPVerifier", "COpenSSL", "TestSupport"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "CrossCheckTests",
            dependencies: ["CrossCheck", "SignetKeys", "GMPVerifier", "JWS", "Base64URL", "TestSupport"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "JWSTests", dependencies: ["JWS", "SignetKeys", "Base64URL", "TestSupport"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "ClientAssertionTests",
            dependencies: ["ClientAssertion", "CrossCheck", "JWS", "SignetKeys", "Base64URL", "TestSupport"],
            swiftSettings: strictSettings),
        // Against a real JWKS server on loopback (Hummingbird), started by each test.
        .testTarget(
            name: "RemoteJWKSTests",
            dependencies: [
                "RemoteJWKS", "JWS", "SignetKeys", "TestSupport", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"), .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "NHSEmulatorTests",
            dependencies: [
                "NHSEmulator", "ClientAssertion", "JWS", "SignetKeys", "Base64URL", "ReplayGuard", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                "ReplayGuardPostgres", .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "SignetJWTKitTests",
            dependencies: [
                "SignetJWTKit", "JWS", "SignetKeys", "Base64URL", .product(name: "JWTKit", package: "jwt-kit"),
            ],
            swiftSettings: strictSettings),
        // Against a real Hummingbird server on loopback, started by each test.
        .testTarget(
            name: "SignetHummingbirdAuthTests",
            dependencies: [
                "SignetHummingbirdAuth", "JWS", "SignetKeys", "RemoteJWKS", "ReplayGuard", "TestSupport",
                "TestHTTPServers",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "ReplayGuardTests",
            dependencies: [
                "ReplayGuard", "ReplayGuardPostgres", "TestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "TokenClientTests",
            dependencies: [
                "TokenClient", "NHSEmulator", "ClientAssertion", "JWS", "SignetKeys", "Base64URL", "TestSupport",
                "TestHTTPServers",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings),
        // Runs the built `signet` executable (which `swift build --build-tests` and `swift test` build too); JWKS
        // by URL against a real Hummingbird server on loopback.
        .testTarget(
            name: "SignetCLITests",
            dependencies: [
                "TestSupport", "TestHTTPServers", "JWS", "SignetKeys",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings),
    ]
)
