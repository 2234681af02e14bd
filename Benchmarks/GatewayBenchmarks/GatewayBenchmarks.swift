// SPDX-License-Identifier: Apache-2.0

//
// What SignetHummingbirdAuth's authenticator costs beyond one verify, in process (no HTTP, no scheduler): its
// `verifiedBearer(in:)` on a request's header fields beside `JWSVerifier.verify(_:scratch:)` on the same token, in
// one run. The allocation thresholds (Benchmarks/Thresholds) hold the verify at 0 and the authenticator at 3: the
// bearer it returns (its claims and payload bytes in one allocation), that token's one string over 15 bytes (`iss`),
// and the Swift task allocator's slab for the call's async frame (384 bytes; this harness's own frames leave too
// little of the task's first slab). The verify inside the authenticator allocates nothing.
import Benchmark
import HTTPTypes
import HummingbirdAuth
import JWS
import Logging
import SignetHummingbirdAuth
import SignetKeys

/// A caller's token and a verifier bound to its key, for one algorithm (a class: the benchmark closures hold one
/// reference, so their async frames stay within the task's first allocator slab).
final class Caller: Sendable {
    let token: [UInt8]
    let headers: HTTPFields
    let verifier: JWSVerifier
    let authenticator: JWTBearerAuthenticator<BasicAuthRequestContext<VerifiedBearer>>

    init(key: JWSSigningKey, publicKey: JWSPublicKey, algorithm: JWSAlgorithm) throws {
        let audience = "https://gateway.example"
        let now = JWTClock.system.now().seconds
        let claims = JWTClaims(
            issuer: "https://issuer.example", subject: "clinician-7", audience: [audience],
            expiresAt: NumericDate(now + 86_400), issuedAt: NumericDate(now), id: "jti-1",
            additional: [.init(name: "scope", value: .string("patient.read patient.write"))])
        let token = try JWSSigner(key: key, algorithm: algorithm, keyID: "caller").token(claims: claims)
        self.token = Array(token.utf8)
        var headers = HTTPFields()
        headers[.authorization] = "Bearer " + token
        self.headers = headers
        verifier = try JWSVerifier(
            keys: [JWSVerificationKey(key: publicKey, algorithm: algorithm, keyID: "caller")],
            policy: JWTValidationPolicy(audience: audience))
        authenticator = JWTBearerAuthenticator(
            keys: .verifier(verifier), requiredScopes: ["patient.read"],
            logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
    }
}

let benchmarks: @Sendable () -> Void = {
    let es = Result {
        let key = try ECPrivateKey.generate(curve: .p256)
        return try Caller(key: .ec(key), publicKey: .ec(key.publicKey), algorithm: .es256)
    }
    let rs = Result {
        let key = try RSAPrivateKey.generate(bits: 2048)
        return try Caller(key: .rsa(key), publicKey: .rsa(key.publicKey), algorithm: .rs256)
    }
    for (name, caller) in [("ES256", es), ("RS256", rs)] {
        var configuration = Benchmark.Configuration(
            metrics: [.throughput, .wallClock, .mallocCountTotal], timeUnits: .microseconds, warmupIterations: 10,
            maxDuration: .seconds(2))
        configuration.thresholds = [.mallocCountTotal: .init(absolute: [.p90: 3])]
        Benchmark("BearerAuth.verifiedBearer.\(name)", configuration: configuration) { benchmark in
            let caller = try caller.get()
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(try await caller.authenticator.verifiedBearer(in: caller.headers))
            }
        }
        var bare = configuration
        bare.thresholds = [.mallocCountTotal: .init(absolute: [.p90: 0])]
        Benchmark("BearerAuth.verifyOnly.\(name)", configuration: bare) { benchmark in
            let caller = try caller.get()
            let token = caller.token
            let scratchBytes = caller.verifier.scratchByteCount(for: RawSpan(_elements: token.span))
            try withUnsafeTemporaryAllocation(byteCount: scratchBytes, alignment: 8) { buffer in
                var scratch = MutableRawSpan(_unsafeBytes: buffer)
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations {
                    blackHole(try caller.verifier.verify(RawSpan(_elements: token.span), scratch: &scratch).expiresAt)
                }
            }
        }
    }
}
