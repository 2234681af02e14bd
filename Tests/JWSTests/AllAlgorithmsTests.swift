// SPDX-License-Identifier: Apache-2.0

import Base64URL
import JWS
import SignetKeys
import TestSupport
import Testing

/// Every algorithm end to end through `JWSSigner` and `JWSVerifier` (both verify paths), key binding across
/// families, and JWK / JWKS in and out for EC and OKP keys.
@Suite struct AllAlgorithmsTests {
    static let rsa = JWSSigningKey.rsa(JWSFixtures.key)
    static let p256: JWSSigningKey = {
        do { return .ec(try ECPrivateKey.generate(curve: .p256)) } catch { fatalError("fixture: \(error)") }
    }()
    static let p384: JWSSigningKey = {
        do { return .ec(try ECPrivateKey.generate(curve: .p384)) } catch { fatalError("fixture: \(error)") }
    }()
    static let p521: JWSSigningKey = {
        do { return .ec(try ECPrivateKey.generate(curve: .p521)) } catch { fatalError("fixture: \(error)") }
    }()
    static let ed: JWSSigningKey = {
        do { return .ed25519(try Ed25519PrivateKey.generate()) } catch { fatalError("fixture: \(error)") }
    }()

    static func key(for algorithm: JWSAlgorithm) -> JWSSigningKey {
        switch algorithm.family {
        case .rsa: rsa
        case .ecdsa(let curve): curve == .p256 ? p256 : curve == .p384 ? p384 : p521
        case .ed25519: ed
        }
    }

    static let policy = JWTValidationPolicy(
        issuer: "client", audience: "https://as/token", clock: .fixed(JWSFixtures.now))
    static let claims = JWTClaims(
        issuer: "client", subject: "client", audience: ["https://as/token"],
        expiresAt: NumericDate(Int64(1_800_000_100)), issuedAt: JWSFixtures.now, id: "id-1")

    /// Each algorithm signs and verifies (zero-allocation path, allocating path, DOM reference) with its own key;
    /// the signature segment has the algorithm's fixed size (ES: `r ‖ s`, never DER).
    @Test(arguments: JWSAlgorithm.all)
    func roundTrip(algorithm: JWSAlgorithm) throws {
        let key = Self.key(for: algorithm)
        let signer = try JWSSigner(key: key, algorithm: algorithm, keyID: "k1")
        let token = try signer.token(claims: Self.claims)
        let signature = try Base64URL.decode(String(token.split(separator: ".")[2]))
        #expect(signature.count == key.signatureByteCount)
        if let curve = algorithm.curve { #expect(signature.count == curve.signatureByteCount) }
        let verifier = try JWSVerifier(
            keys: [JWSVerificationKey(key: key.publicKey, algorithm: algorithm, keyID: "k1")], policy: Self.policy)
        let verified = try verifier.verify(token)
        #expect(verified.jws.algorithm == algorithm)
        #expect(verified.claims.id == "id-1")
        let reference = try unsafe Array(token.utf8).withUnsafeBytes { try unsafe verifier.referenceVerify($0) }
        #expect(reference.jws.algorithm == algorithm)
        var scratch = [UInt8](repeating: 0, count: verifier.maximumScratchByteCount)
        var span = scratch.mutableSpan
        var bytes = MutableRawSpan(_elements: &span)
        let view = try verifier.verify(RawSpan(_elements: Array(token.utf8).span), scratch: &bytes)
        #expect(view.algorithm == algorithm)
        // A flipped bit in the signature's last character is rejected.
        var damaged = Array(token.utf8)
        damaged[damaged.count - 2] =
            damaged[damaged.count - 2] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        expectCode("signature.invalid", segment: .signature) { () throws(JWSError) in
            _ = try verifier.verify(String(decoding: damaged, as: UTF8.self))
        }
    }

    /// A key of one family never verifies a token naming another: `ES256` with an RSA key, `EdDSA` with an EC key,
    /// `RS256` with an Ed25519 key, `ES384` with a P-256 key. The binding itself is refused, and a verifier bound
    /// to the key's own algorithm rejects the token in the header, before any cryptography.
    @Test(arguments: [
        (JWSAlgorithm.es256, JWSAlgorithm.rs256), (.edDSA, .es256), (.rs256, .edDSA), (.es384, .es256),
        (.ps256, .es512),
    ])
    func keysNeverVerifyAnotherFamily(signed: JWSAlgorithm, bound: JWSAlgorithm) throws {
        let signingKey = Self.key(for: signed)
        let otherKey = Self.key(for: bound).publicKey
        #expect(!otherKey.canVerify(signed))
        #expect(throws: JWSError(.keyConfiguration, reason: "")) {
            _ = try JWSVerificationKey(key: otherKey, algorithm: signed, keyID: "k1")
        }
        let token = try JWSSigner(key: signingKey, algorithm: signed, keyID: "k1").token(claims: Self.claims)
        let verifier = try JWSVerifier(
            keys: [JWSVerificationKey(key: otherKey, algorithm: bound, keyID: "k1")], policy: Self.policy)
        expectCode("header.alg-not-allowed", segment: .header) { () throws(JWSError) in
            _ = try verifier.verify(token)
        }
        // Even allowing the token's algorithm does not help: the key stays bound to its own.
        let lenient = try JWSVerifier(
            keys: [JWSVerificationKey(key: otherKey, algorithm: bound, keyID: "k1")],
            allowedAlgorithms: [bound, signed], policy: Self.policy)
        expectCode("header.alg-not-allowed", segment: .header) { () throws(JWSError) in
            _ = try lenient.verify(token)
        }
        // The signer refuses to sign an algorithm of another family.
        #expect(throws: JWSError(.keyConfiguration, reason: "")) {
            _ = try JWSSigner(key: Self.key(for: bound), algorithm: signed)
        }
    }

    /// EC and OKP keys go out as JWK / JWKS and come back as the same keys, bound to their algorithm; RFC 7638
    /// thumbprints are stable across the round trip.
    @Test func jwksRoundTripForEveryFamily() throws {
        let entries: [(key: JWSPublicKey, keyID: String, algorithm: JWSAlgorithm)] = [
            (Self.rsa.publicKey, "rsa", .ps256), (Self.p256.publicKey, "p256", .es256),
            (Self.p384.publicKey, "p384", .es384), (Self.p521.publicKey, "p521", .es512),
            (Self.ed.publicKey, "ed", .edDSA),
        ]
        let set = try JWKSet.parse(JWKSet.document(entries))
        #expect(set.issues.isEmpty)
        let keys = set.verificationKeys(defaultAlgorithm: .rs256)
        #expect(keys.map(\.keyID) == entries.map(\.keyID))
        #expect(keys.map(\.algorithm) == entries.map(\.algorithm))
        #expect(keys.map(\.key.thumbprint) == entries.map(\.key.thumbprint))
        #expect(set.keys.map(\.publicKey.keyType) == ["RSA", "EC", "EC", "EC", "OKP"])
        for entry in entries {
            let json = JWK.json(for: entry.key, algorithm: entry.algorithm, keyID: nil)
            #expect(try JWK.verificationKey(json: json).thumbprint == entry.key.thumbprint)
            #expect(json.contains("\"kid\":\"\(entry.key.thumbprint)\""))
        }
        // Without alg, EC and OKP keys bind to their curve's algorithm.
        let bare = try JWKSet.parse(
            #"{"keys":[{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","kid":"a"},{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","kid":"b"},{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","kid":"c","alg":"RS256"}]}"#
        )
        #expect(bare.verificationKeys(defaultAlgorithm: .rs512).map(\.algorithm) == [.es256, .edDSA])
        #expect(bare.issues.map(\.code) == [.unsupportedAlgorithm])
    }

    /// RFC 8037 A.1–A.3: the OKP JWK's thumbprint, and RFC 7638 §3.1's RSA example.
    @Test func rfcThumbprints() throws {
        let okp = try JWK.verificationKey(
            json: #"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#)
        #expect(okp.thumbprint == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k")
        let privateOKP = try JWK.signingKey(
            json:
                #"{"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#
        )
        #expect(privateOKP.publicKey.thumbprint == okp.thumbprint)
        #expect(throws: SignetKeyError(.jwkInvalid, reason: "")) {
            _ = try JWK.verificationKey(
                json:
                    #"{"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#
            )
        }
    }
}
