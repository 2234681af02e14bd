// SPDX-License-Identifier: Apache-2.0
// Usage: jwtkit-peer SECONDS — prints one JSON line per (alg, bits) with mint/s and verify/s.
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
for (name, bits, digest) in [("RS256", 2048, DigestAlgorithm.sha256), ("RS512", 4096, DigestAlgorithm.sha512)] {
    let backing = try _RSA.Signing.PrivateKey(keySize: .init(bitCount: bits))
    let key = try Insecure.RSA.PrivateKey(backing: backing)
    let keys = JWTKeyCollection()
    await keys.add(rsa: key, digestAlgorithm: digest, kid: "k1")
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
