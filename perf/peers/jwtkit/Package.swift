// swift-tools-version: 6.1
// SPDX-License-Identifier: Apache-2.0
// Peer benchmark: vapor/jwt-kit 5.8.0 minting and verifying the same client assertion Signet does, alone and with
// Signet's keys underneath (SignetJWTKit, from this checkout). Built only by perf/compare.sh; never a dependency of
// Signet.
import PackageDescription

let package = Package(
    name: "jwtkit-peer",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/vapor/jwt-kit", exact: "5.8.0"),
        .package(url: "https://github.com/apple/swift-crypto", "4.1.0"..<"5.0.0"),
        .package(name: "Signet", path: "../../.."),
    ],
    targets: [
        .executableTarget(
            name: "jwtkit-peer",
            dependencies: [
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "SignetJWTKit", package: "Signet"),
                .product(name: "JWS", package: "Signet"),
                .product(name: "SignetKeys", package: "Signet"),
            ])
    ])
