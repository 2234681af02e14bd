// swift-tools-version: 6.2
// SPDX-License-Identifier: Apache-2.0
//
// Benchmarks live in their own package so that users of Signet never resolve the benchmark harness or the
// comparison peer. Run from this directory (`--filter` must match the whole benchmark name):
//   swift package benchmark --filter '(Base64|Extras).*' --no-progress
// Zero-allocation check against the committed static thresholds in Thresholds/:
//   swift package benchmark thresholds check --filter 'Base64URL.*' --no-progress
// Mint and verify next to the raw EVP floor and GMPVerifier, in one run:
//   swift package benchmark --target JWSBenchmarks --no-progress
// The token client's warm hot path and a cold request against the in-process emulator, split into its parts:
//   swift package benchmark --target TokenClientBenchmarks --no-progress
// The bearer authenticator beside one verify of the same token, in process:
//   swift package benchmark --target GatewayBenchmarks --no-progress
import PackageDescription

let package = Package(
    name: "SignetBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Signet", path: "../"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        // Peer measured in the same run; benchmark-only.
        .package(url: "https://github.com/swift-extras/swift-extras-base64", from: "1.2.0"),
        // The authenticator's request context and header types (GatewayBenchmarks); the versions Signet resolves.
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(
            name: "Base64URLBenchmarks",
            dependencies: [
                .product(name: "Base64URL", package: "Signet"),
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ExtrasBase64", package: "swift-extras-base64"),
            ],
            path: "Base64URLBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "JWSBenchmarks",
            dependencies: [
                .product(name: "Base64URL", package: "Signet"),
                .product(name: "ClientAssertion", package: "Signet"),
                .product(name: "SignetKeys", package: "Signet"),
                .product(name: "JWS", package: "Signet"),
                .product(name: "GMPVerifier", package: "Signet"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "JWSBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "TokenClientBenchmarks",
            dependencies: [
                .product(name: "TokenClient", package: "Signet"),
                .product(name: "NHSEmulator", package: "Signet"),
                .product(name: "ClientAssertion", package: "Signet"),
                .product(name: "SignetKeys", package: "Signet"),
                .product(name: "JWS", package: "Signet"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "TokenClientBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "GatewayBenchmarks",
            dependencies: [
                .product(name: "SignetHummingbirdAuth", package: "Signet"),
                .product(name: "JWS", package: "Signet"),
                .product(name: "SignetKeys", package: "Signet"),
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "GatewayBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
