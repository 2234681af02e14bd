// SPDX-License-Identifier: Apache-2.0

// Usage: jwtkit-peer SECONDS [ALG ...] — prints one JSON line per (alg, bits) with mint/s and verify/s. ALG: JWS
// names separated by spaces or commas (RS256, PS256, RS384, PS384, RS512, PS512, ES256, ES384, ES512, EdDSA; default:
// all).
// RSA (PKCS#1 v1.5 and PSS) on _CryptoExtras keys, ECDSA on swift-crypto P256/P384/P521, EdDSA on Curve25519 (Ed25519);
// RS and PS of one size share a key.
import _CryptoExtras
import Foundation
import JWTKit

struct Assertion: JWTPayload {
    var iss: IssuerClaim
    var sub: SubjectClaim
    var aud: AudienceClaim
    var jti: IDClaim
    var exp: ExpirationClaim
    var iat: IssuedAtClaim
    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        try aud.verifyIntendedAudience(includes: "https://int.api.service.nhs.uk/oauth2/token")
    }
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

let seconds = CommandLine.arguments.count > 1 ? Double(CommandLine.arguments[1]) ?? 2 : 2
let wanted = CommandLine.arguments.dropFirst(2)
    .flatMap { $0.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init) }
    .filter { $0 != "all" }
let algorithms: [(name: String, bits: Int)] = [
    ("RS256", 2048), ("PS256", 2048), ("RS384", 3072), ("PS384", 3072), ("RS512", 4096), ("PS512", 4096),
    ("ES256", 256), ("ES384", 384), ("ES512", 521), ("EdDSA", 256),
]
if let unknown = wanted.first(where: { name in !algorithms.contains { $0.name == name } }) {
    FileHandle.standardError.write(Data("jwtkit-peer: unknown algorithm \(unknown)\n".utf8))
    exit(2)
}

var rsaKeys: [Int: JWTKit.Insecure.RSA.PrivateKey] = [:]
@MainActor func rsaKey(_ bits: Int) throws -> JWTKit.Insecure.RSA.PrivateKey {
    if let key = rsaKeys[bits] { return key }
    let key = try JWTKit.Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .init(bitCount: bits)))
    rsaKeys[bits] = key
    return key
}

/// A key collection holding the one signing key for `name` under kid "k1".
@MainActor func keyCollection(_ name: String, bits: Int) async throws -> JWTKeyCollection {
    let keys = JWTKeyCollection()
    let digest: DigestAlgorithm =
        switch name.suffix(3) {
        case "384": .sha384
        case "512": .sha512
        default: .sha256
        }
    switch name.prefix(2) {
    case "RS": await keys.add(rsa: try rsaKey(bits), digestAlgorithm: digest, kid: "k1")
    case "PS": await keys.add(pss: try rsaKey(bits), digestAlgorithm: digest, kid: "k1")
    case "ES":
        switch bits {
        case 256: await keys.add(ecdsa: ES256PrivateKey(), kid: "k1")
        case 384: await keys.add(ecdsa: ES384PrivateKey(), kid: "k1")
        default: await keys.add(ecdsa: ES512PrivateKey(), kid: "k1")
        }
    default: await keys.add(eddsa: try EdDSA.PrivateKey(curve: .ed25519), kid: "k1")
    }
    return keys
}

for (name, bits) in algorithms where wanted.isEmpty || wanted.contains(name) {
    let keys = try await keyCollection(name, bits: bits)
    func payload() -> Assertion {
        Assertion(
            iss: "bench-client-0123456789abcdef", sub: "bench-client-0123456789abcdef",
            aud: "https://int.api.service.nhs.uk/oauth2/token", jti: IDClaim(value: UUID().uuidString.lowercased()),
            exp: ExpirationClaim(value: Date().addingTimeInterval(300)), iat: IssuedAtClaim(value: Date()))
    }
    var header = JWTHeader()
    header.typ = "JWT"
    var n = 0
    var start = now()
    var token = ""
    repeat {
        token = try await keys.sign(payload(), kid: "k1", header: header)
        n += 1
    } while now() - start < seconds
    let mintRate = Double(n) / (now() - start)
    n = 0
    start = now()
    repeat {
        _ = try await keys.verify(token, as: Assertion.self)
        n += 1
    } while now() - start < seconds
    let verifyRate = Double(n) / (now() - start)
    print("{\"peer\":\"jwt-kit 5.8.0\",\"alg\":\"\(name)\",\"bits\":\(bits),\"mintPerSecond\":\(String(format: "%.1f", mintRate)),\"verifyPerSecond\":\(String(format: "%.1f", verifyRate))}")
}
