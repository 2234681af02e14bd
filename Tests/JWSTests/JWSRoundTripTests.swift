// SPDX-License-Identifier: Apache-2.0

import Base64URL
import Foundation
import JWS
import SignetKeys
import TestSupport
import Testing

@Suite struct JWSRoundTripTests {
    @Test func claimsRoundTripForEveryAlgorithm() throws {
        for alg in RSASignatureAlgorithm.all {
            let signer = try JWSSigner(key: JWSFixtures.key, algorithm: alg, keyID: "k1")
            let claims = JWTClaims(
                issuer: "client", subject: "client", audience: ["https://as/token"],
                expiresAt: NumericDate(Int64(1_800_000_100)),
                issuedAt: JWSFixtures.now, id: "id-1",
                additional: [.init(name: "scope", value: .string("a b"), nameOffset: 0, valueOffset: 0)])
            let token = try signer.token(claims: claims)
            let header = try #require(
                try StrictJSON.parse(Base64URL.decode(String(token.prefix { $0 != "." }))).objectValue)
            #expect(header["alg"] == .string(alg.jwsName))
            #expect(header["typ"] == .string("JWT"))
            let verifier = JWSFixtures.verifier(
                algorithm: alg,
                policy: JWTValidationPolicy(
                    issuer: "client", subject: "client", audience: "https://as/token", requireID: true,
                    expectedType: "JWT",
                    clock: .fixed(JWSFixtures.now)))
            let verified = try verifier.verify(token)
            #expect(
                verified.claims
                    == JWTClaims(
                        issuer: "client", subject: "client", audience: ["https://as/token"],
                        expiresAt: NumericDate(Int64(1_800_000_100)),
                        issuedAt: JWSFixtures.now, id: "id-1",
                        additional: verified.payloadObject.members.filter { $0.name == "scope" }))
            #expect(verified.payloadObject["scope"] == .string("a b"))
        }
    }

    @Test func randomPayloadsAndMutations() throws {
        var rng = SplitMix64(seed: 42)
        let signer = try JWSSigner(key: JWSFixtures.key, algorithm: .rs256, keyID: "k1")
        let verifier = JWSFixtures.verifier()
        for _ in 0..<40 {
            let payload = rng.bytes(Int.random(in: 0...600, using: &rng))
            let token = Array(try signer.token(payload: payload).utf8)
            let jws = try unsafe token.span.withUnsafeBytes { b throws(JWSError) in
                try unsafe verifier.verifySignature(b)
            }
            #expect(jws.payload == payload)
            // Flip one character to another alphabet character anywhere: must never verify.
            var mutated = token
            let i = Int.random(in: 0..<mutated.count, using: &rng)
            guard mutated[i] != UInt8(ascii: ".") else { continue }
            mutated[i] = mutated[i] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            #expect(throws: JWSError.self) {
                try unsafe mutated.span.withUnsafeBytes { b throws(JWSError) in
                    _ = try unsafe verifier.verifySignature(b)
                }
            }
        }
    }

    @Test func signIntoCallerBuffers() throws {
        let signer = try JWSSigner(key: JWSFixtures.key, algorithm: .rs512, keyID: "k1")
        let payload: [UInt8] = Array(#"{"exp":1800000100}"#.utf8)
        let length = signer.tokenLength(payloadByteCount: payload.count)
        var buffer = [UInt8](repeating: 0, count: length)
        var bufferSpan = buffer.mutableSpan
        var bytes = MutableRawSpan(_elements: &bufferSpan)
        let n = try signer.sign(payload: RawSpan(_elements: payload.span), into: &bytes)
        #expect(n == length)
        // The @unsafe pointer form writes the same token.
        var viaPointer = [UInt8](repeating: 0, count: length)
        let m = try unsafe viaPointer.withUnsafeMutableBytes { o in
            try unsafe payload.withUnsafeBytes { p in try unsafe signer.sign(payload: p, into: o) }
        }
        #expect(m == length && viaPointer == buffer)  // RSASSA-PKCS1-v1_5 is deterministic
        let verifier = JWSFixtures.verifier(algorithm: .rs512)
        #expect(
            try verifier.verify(String(decoding: buffer, as: UTF8.self)).claims.expiresAt
                == NumericDate(Int64(1_800_000_100)))
        var small = [UInt8](repeating: 0, count: length - 1)
        var smallSpan = small.mutableSpan
        var smallBytes = MutableRawSpan(_elements: &smallSpan)
        let error = #expect(throws: JWSError.self) {
            try signer.sign(payload: RawSpan(_elements: payload.span), into: &smallBytes)
        }
        #expect(error?.code == .outputTooSmall)
        // OutputRawSpan form appends after existing bytes.
        let out = try unsafe [UInt8](unsafeUninitializedCapacity: length + 2) { buf, count in
            var span = unsafe OutputRawSpan(buffer: UnsafeMutableRawBufferPointer(buf), initializedCount: 0)
            span.append(UInt8(ascii: "["))
            try signer.sign(payload: RawSpan(_elements: payload.span), into: &span)
            count = unsafe span.finalize(for: UnsafeMutableRawBufferPointer(buf))
        }
        #expect(out.count == length + 1)
    }

    @Test func codableClaims() throws {
        struct Custom: Codable, Equatable {
            var exp: Int
            var role: String
        }
        let signer = try JWSSigner(key: JWSFixtures.key, algorithm: .rs256, keyID: "k1")
        let token = try signer.token(encoding: Custom(exp: 1_800_000_100, role: "admin"))
        let (verified, custom) = try JWSFixtures.verifier().verify(token, as: Custom.self)
        #expect(custom == Custom(exp: 1_800_000_100, role: "admin"))
        #expect(verified.jws.keyID == "k1")
    }

    @Test func concurrentSigningAndVerifying() async throws {
        let signer = try JWSSigner(key: JWSFixtures.key, algorithm: .rs256, keyID: "k1")
        let verifier = JWSFixtures.verifier()
        try await withThrowingTaskGroup(of: Int.self) { group in
            for t in 0..<4 {
                group.addTask {
                    var ok = 0
                    for i in 0..<10 {
                        let token = try signer.token(
                            claims: JWTClaims(expiresAt: NumericDate(Int64(1_800_000_100)), id: "\(t)-\(i)"))
                        if try verifier.verify(token).claims.id == "\(t)-\(i)" { ok += 1 }
                    }
                    return ok
                }
            }
            var total = 0
            for try await n in group { total += n }
            #expect(total == 40)
        }
    }
}
