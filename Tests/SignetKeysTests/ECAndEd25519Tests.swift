// SPDX-License-Identifier: Apache-2.0

import Base64URL
@_spi(Testing) import SignetKeys
import TestSupport
import Testing

/// ECDSA (P-256/384/521, `r ‖ s`) and Ed25519: Wycheproof verdicts on both verification paths (Signet's own and
/// OpenSSL EVP), keys in and out through PEM, DER and JWK, generation, and signatures that verify only where they
/// should.
@Suite struct ECAndEd25519Tests {
    /// Every Wycheproof P1363 vector gets its verdict; the key loads the same from DER and from its JWK.
    @Test(arguments: Wycheproof.ecdsaFiles)
    func wycheproofECDSA(file: String) throws {
        let cases = try Wycheproof.curveVerifyCases(file)
        #expect(cases.count > 250)
        var keys: [[UInt8]: ECPublicKey] = [:]
        var jwkChecked = 0
        for c in cases {
            let key: ECPublicKey
            if let k = keys[c.publicKeyDER] {
                key = k
            } else {
                key = try ECPublicKey(der: c.publicKeyDER)
                // Some groups carry no JWK (e.g. keys whose DER uses explicit parameters).
                if let crv = c.jwk["crv"], let x = c.jwk["x"], let y = c.jwk["y"] {
                    let fromJWK = try ECPublicKey(jwk: ECJWKComponents(crv: crv, x: x, y: y))
                    #expect(fromJWK.x == key.x && fromJWK.y == key.y && fromJWK.curve == key.curve)
                    #expect(key.jwk.x == x && key.jwk.y == y)
                    jwkChecked += 1
                }
                keys[c.publicKeyDER] = key
            }
            #expect(key.isValidSignature(c.signature, for: c.message) == (c.result == "valid"), "Signet: \(c)")
            #expect(
                key.isValidSignatureOnOpenSSL(c.signature, for: c.message) == (c.result == "valid"), "OpenSSL: \(c)")
        }
        #expect(jwkChecked > 50)
    }

    @Test func wycheproofEd25519() throws {
        let cases = try Wycheproof.curveVerifyCases("ed25519_test.json")
        #expect(cases.count > 140)
        for c in cases {
            let key = try Ed25519PublicKey(der: c.publicKeyDER)
            #expect(
                try Ed25519PublicKey(jwk: OKPJWKComponents(crv: "Ed25519", x: c.jwk["x"] ?? "")).rawRepresentation
                    == key.rawRepresentation)
            #expect(key.isValidSignature(c.signature, for: c.message) == (c.result == "valid"), "Signet: \(c)")
            #expect(
                key.isValidSignatureOnOpenSSL(c.signature, for: c.message) == (c.result == "valid"), "OpenSSL: \(c)")
        }
    }

    /// Generated keys sign, verify, and survive PKCS#8 PEM, SPKI PEM/DER and JWK round trips; a flipped bit, another
    /// message or another key's signature never verifies.
    @Test(arguments: ECCurve.all)
    func ecdsaRoundTrips(curve: ECCurve) throws {
        var rng = SplitMix64(seed: 0xEC00_0001)
        let key = try ECPrivateKey.generate(curve: curve)
        let other = try ECPrivateKey.generate(curve: curve)
        #expect(key.curve == curve && key.signatureByteCount == 2 * curve.coordinateByteCount)
        let pem = try unsafe key.withPKCS8PEM { unsafe String(decoding: $0, as: UTF8.self) }
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let reloaded = try ECPrivateKey(pem: pem)
        let fromJWKPublic = try ECPublicKey(jwk: key.publicKey.jwk)
        let fromPEM = try ECPublicKey(pem: key.publicKey.pem())
        let fromDER = try ECPublicKey(der: key.publicKey.spkiDER())
        for _ in 0..<8 {
            let message = rng.bytes(rng.below(300))
            let signature = try reloaded.signature(for: message)
            #expect(signature.count == curve.signatureByteCount)
            for verifier in [key.publicKey, fromJWKPublic, fromPEM, fromDER] {
                #expect(verifier.isValidSignature(signature, for: message))
            }
            var flipped = signature
            flipped[rng.below(flipped.count)] ^= 1 << UInt8(rng.below(8))
            #expect(!key.publicKey.isValidSignature(flipped, for: message))
            #expect(!key.publicKey.isValidSignature(signature, for: message + [1]))
            #expect(!other.publicKey.isValidSignature(signature, for: message))
            #expect(!key.publicKey.isValidSignature(Array(signature.dropLast()), for: message))
        }
        // ECDSA nonces are random: two signatures of one message differ and both verify.
        let m = Array("twice".utf8)
        #expect(try key.signature(for: m) != key.signature(for: m))
    }

    @Test func ecPrivateJWKMustMatchItsPublicPart() throws {
        let key = try ECPrivateKey.generate(curve: .p256)
        let other = try ECPrivateKey.generate(curve: .p256)
        // Recover d by the PKCS#8 round trip is not possible from Swift; check the public-part mismatch instead.
        let pub = key.publicKey.jwk
        #expect(throws: SignetKeyError(.jwkInvalid, reason: "")) {
            _ = try ECPrivateKey(jwk: ECJWKComponents(crv: pub.crv, x: pub.x, y: pub.y, d: "AQAB"))
        }
        #expect(throws: SignetKeyError(.unsupportedCurve, reason: "")) {
            _ = try ECPublicKey(jwk: ECJWKComponents(crv: "P-192", x: pub.x, y: pub.y))
        }
        // A point off the curve is refused.
        #expect(throws: SignetKeyError(.invalidPoint, reason: "")) {
            _ = try ECPublicKey(jwk: ECJWKComponents(crv: pub.crv, x: pub.x, y: other.publicKey.jwk.y))
        }
    }

    @Test func ed25519RoundTrips() throws {
        var rng = SplitMix64(seed: 0xED00_0001)
        let key = try Ed25519PrivateKey.generate()
        let pem = try unsafe key.withPKCS8PEM { unsafe String(decoding: $0, as: UTF8.self) }
        let reloaded = try Ed25519PrivateKey(pem: pem)
        #expect(reloaded.publicKey.rawRepresentation == key.publicKey.rawRepresentation)
        let fromPEM = try Ed25519PublicKey(pem: key.publicKey.pem())
        let fromX = try Ed25519PublicKey(jwk: key.publicKey.jwk)
        for _ in 0..<8 {
            let message = rng.bytes(rng.below(300))
            let signature = try reloaded.signature(for: message)
            #expect(signature == (try key.signature(for: message)))  // deterministic (RFC 8032)
            #expect(
                fromPEM.isValidSignature(signature, for: message) && fromX.isValidSignature(signature, for: message))
            var flipped = signature
            flipped[rng.below(64)] ^= 1 << UInt8(rng.below(8))
            #expect(!fromX.isValidSignature(flipped, for: message))
        }
    }

    /// RFC 8037 Appendix A.4: the Ed25519 JWS over `Example of Ed25519 signing`.
    @Test func rfc8037AppendixA4() throws {
        let key = try Ed25519PrivateKey(
            jwk: OKPJWKComponents(
                crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
                d: "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"))
        let input = Array("eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc".utf8)
        let signature = try key.signature(for: input)
        #expect(
            Base64URL.encode(signature)
                == "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg")
    }

    /// An OKP JWK on another curve (X25519 is for key agreement) is refused by both loaders, with its name.
    @Test func okpJWKOnAnotherCurveIsRefused() {
        let x = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
        do {
            _ = try Ed25519PublicKey(jwk: OKPJWKComponents(crv: "X25519", x: x))
            Issue.record("an X25519 JWK loaded as an Ed25519 public key")
        } catch {
            #expect(error.code == .unsupportedCurve && error.reason.contains("\"X25519\""), "\(error)")
        }
        do {
            _ = try Ed25519PrivateKey(jwk: OKPJWKComponents(crv: "Ed448", x: x, d: x))
            Issue.record("an Ed448 JWK loaded as an Ed25519 private key")
        } catch {
            #expect(error.code == .unsupportedCurve && error.reason.contains("\"Ed448\""), "\(error)")
        }
    }

    /// Keys of one type are refused by another's loader.
    @Test func keyTypesAreNotInterchangeable() throws {
        let ec = try ECPrivateKey.generate(curve: .p256)
        let ed = try Ed25519PrivateKey.generate()
        #expect(throws: SignetKeyError(.wrongKeyType, reason: "")) { _ = try Ed25519PublicKey(pem: ec.publicKey.pem()) }
        #expect(throws: SignetKeyError(.wrongKeyType, reason: "")) { _ = try ECPublicKey(pem: ed.publicKey.pem()) }
        #expect(throws: SignetKeyError(.notRSA, reason: "")) { _ = try RSAPublicKey(pem: ec.publicKey.pem()) }
        #expect(throws: SignetKeyError(.wrongKeyType, reason: "")) {
            _ = try ECPublicKey(pem: Fixtures.key2048.publicKey.pem())
        }
    }
}
