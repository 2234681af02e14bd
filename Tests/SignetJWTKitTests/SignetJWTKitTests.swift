// SPDX-License-Identifier: Apache-2.0

import Base64URL
import Foundation
import JWS
import JWTKit
import SignetJWTKit
import SignetKeys
import Testing

/// A payload as jwt-kit's users write them: claim types, and `verify(using:)` checking expiry and audience.
struct SessionPayload: JWTPayload, Equatable {
    var sub: SubjectClaim
    var aud: AudienceClaim
    var exp: ExpirationClaim
    var admin: Bool

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        try aud.verifyIntendedAudience(includes: "https://api.example")
    }

    static func fresh(expiresIn: TimeInterval = 300) -> SessionPayload {
        SessionPayload(
            // Whole seconds: a JWT's exp is a NumericDate in seconds, so a round trip drops the fraction.
            sub: "user-1", aud: "https://api.example",
            exp: .init(value: Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + expiresIn).rounded(.down))),
            admin: true)
    }
}

/// jwt-kit's usage patterns through Signet's keys: payload types, `add`, sign then verify, and interoperation both
/// ways with jwt-kit's own keys (a token one signs, the other verifies).
@Suite("jwt-kit on Signet")
struct SignetJWTKitTests {
    static let algorithms: [JWSAlgorithm] = [.rs256, .rs512, .ps256, .es256, .es384, .edDSA]

    @Test(arguments: algorithms)
    func signThenVerify(alg: JWSAlgorithm) async throws {
        let key = try JWSSigningKey.generate(for: alg)
        let keys = SignetJWTKeyCollection()
        await keys.add(try SignetJWTAlgorithm(key: key, algorithm: alg), kid: "k1")
        let payload = SessionPayload.fresh()
        let token = try await keys.sign(payload, kid: "k1")
        let verified = try await keys.verify(token, as: SessionPayload.self)
        #expect(verified == payload)
        // Signet's own verifier agrees: the token is an ordinary JWS.
        let signet = try JWSVerifier(keys: [JWSVerificationKey(key: key.publicKey, algorithm: alg, keyID: "k1")])
        #expect(throws: Never.self) { try signet.verify(token) }
    }

    /// jwt-kit's own keys verify what Signet signs, and Signet verifies what jwt-kit signs.
    @Test func interoperatesWithJWTKitKeys() async throws {
        let rsa = try RSAPrivateKey.generate(bits: 2048)
        let pem = try unsafe rsa.withPKCS8PEM { unsafe String(decoding: $0, as: UTF8.self) }
        let theirs = JWTKeyCollection()
        await theirs.add(rsa: try Insecure.RSA.PrivateKey(pem: pem), digestAlgorithm: .sha512, kid: "r")
        let ours = SignetJWTKeyCollection()
        await ours.add(try SignetJWTAlgorithm(key: .rsa(rsa), algorithm: .rs512), kid: "r")
        let payload = SessionPayload.fresh()
        let signedBySignet = try await ours.sign(payload, kid: "r")
        #expect(try await theirs.verify(signedBySignet, as: SessionPayload.self) == payload)
        let signedByJWTKit = try await theirs.sign(payload, kid: "r")
        #expect(try await ours.verify(signedByJWTKit, as: SessionPayload.self) == payload)

        let ec = try ECPrivateKey.generate(curve: .p256)
        let ecPEM = try unsafe ec.withPKCS8PEM { unsafe String(decoding: $0, as: UTF8.self) }
        let theirsEC = JWTKeyCollection()
        await theirsEC.add(ecdsa: try ES256PrivateKey(pem: ecPEM), kid: "e")
        let oursEC = SignetJWTKeyCollection()
        await oursEC.add(try SignetJWTAlgorithm(key: .ec(ec), algorithm: .es256), kid: "e")
        #expect(try await theirsEC.verify(try await oursEC.sign(payload, kid: "e"), as: SessionPayload.self) == payload)
        #expect(try await oursEC.verify(try await theirsEC.sign(payload, kid: "e"), as: SessionPayload.self) == payload)
    }

    @Test func refusals() async throws {
        let key = try JWSSigningKey.generate(for: .es256)
        let keys = SignetJWTKeyCollection()
        await keys.add(try SignetJWTAlgorithm(key: key, algorithm: .es256), kid: "k1")
        // The payload's own claims checks run after the signature.
        let expired = try await keys.sign(SessionPayload.fresh(expiresIn: -60), kid: "k1")
        await #expect(throws: JWTError.self) { _ = try await keys.verify(expired, as: SessionPayload.self) }
        // A damaged signature, an unknown kid, an alg that is not the key's: each refused.
        let good = try await keys.sign(SessionPayload.fresh(), kid: "k1")
        // One character well inside the signature segment, so that the decoded signature surely changes.
        var characters = Array(good)
        characters[characters.count - 10] = characters[characters.count - 10] == "A" ? "B" : "A"
        let tampered = String(characters)
        let other = SignetJWTKeyCollection()
        await other.add(try SignetJWTAlgorithm(key: JWSSigningKey.generate(for: .es256), algorithm: .es256), kid: "k2")
        let unknown = try await other.sign(SessionPayload.fresh(), kid: "k2")
        let noneHeader = "eyJhbGciOiJub25lIiwia2lkIjoiazEifQ"  // {"alg":"none","kid":"k1"}
        let parts = good.split(separator: ".")
        let none = "\(noneHeader).\(parts[1])."
        for token in [tampered, unknown, none] {
            await #expect(throws: JWTError.self) { _ = try await keys.verify(token, as: SessionPayload.self) }
        }
        // A key that only verifies cannot sign; a key is bound to its own family's algorithm.
        let verifyOnly = try SignetJWTAlgorithm(key: key.publicKey, algorithm: .es256)
        #expect(throws: JWTError.self) { _ = try verifyOnly.sign(Array("x".utf8)) }
        #expect(throws: JWSError.self) { _ = try SignetJWTAlgorithm(key: key, algorithm: .rs256) }
    }

    /// A token over exactly these header and payload texts, signed by `algorithm` (so it is validly signed).
    static func token(header: String, payload: String, signedBy algorithm: SignetJWTAlgorithm) throws -> String {
        let input = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(payload.utf8))
        return input + "." + Base64URL.encode(try algorithm.sign(Array(input.utf8)))
    }

    @Test("Signet reads the header strictly and the payload only after the signature verified")
    func strictHeaderAndPayload() async throws {
        let algorithm = try SignetJWTAlgorithm(key: JWSSigningKey.generate(for: .es256), algorithm: .es256)
        let keys = SignetJWTKeyCollection()
        await keys.add(algorithm, kid: "k1")
        let now = Int(Date().timeIntervalSince1970)
        let payload = #"{"sub":"user-1","aud":"https://api.example","exp":\#(now + 300),"admin":false}"#
        let good = try Self.token(header: #"{"alg":"ES256","kid":"k1"}"#, payload: payload, signedBy: algorithm)
        #expect(try await keys.verify(good, as: SessionPayload.self).sub.value == "user-1")
        let cases: [(header: String, payload: String, error: JWTError.ErrorType)] = [
            (#"{"alg":"ES256","kid":"k1","crit":["b64"]}"#, payload, .invalidHeaderField),
            (#"{"alg":"ES256","alg":"ES256","kid":"k1"}"#, payload, .malformedToken),
            (#"{"alg":"ES256","kid":"k1",}"#, payload, .malformedToken),
            (#"{"alg":256,"kid":"k1"}"#, payload, .invalidHeaderField),
            (#"["ES256"]"#, payload, .malformedToken),
            (#"{"alg":"ES256","kid":"k1"}"#, #"{"sub":17}"#, .malformedToken),
        ]
        for c in cases {
            let token = try Self.token(header: c.header, payload: c.payload, signedBy: algorithm)
            await #expect(throws: JWTError.self, "\(c.header) \(c.payload)") {
                _ = try await keys.verify(token, as: SessionPayload.self)
            }
            do {
                _ = try await keys.verify(token, as: SessionPayload.self)
            } catch let error as JWTError {
                #expect(error.errorType == c.error, "\(c.header) \(c.payload): \(error)")
            }
        }
        // Four segments, or a payload that would not decode under a signature that does not verify: the shape and
        // the signature are refused first.
        await #expect(throws: JWTError.self) { _ = try await keys.verify(good + ".x", as: SessionPayload.self) }
        var characters = Array(
            try Self.token(header: #"{"alg":"ES256","kid":"k1"}"#, payload: "{", signedBy: algorithm))
        characters[characters.count - 10] = characters[characters.count - 10] == "A" ? "B" : "A"
        do {
            _ = try await keys.verify(String(characters), as: SessionPayload.self)
            Issue.record("a damaged signature verified")
        } catch let error as JWTError {
            #expect(error.errorType == .signatureVerificationFailed, "\(error)")
        }
    }
}
