// SPDX-License-Identifier: Apache-2.0

import Base64URL
import Foundation
import SignetKeys
import TestSupport
import Testing

enum Fixtures {
    /// One RSA-2048 key for the whole test run (generation takes ~100 ms).
    static let key2048: RSAPrivateKey = {
        do { return try RSAPrivateKey.generate(bits: 2048) } catch { fatalError("test fixture: \(error)") }
    }()

    static func pkcs8PEM(_ key: RSAPrivateKey) throws -> String {
        try unsafe key.withPKCS8PEM { unsafe String(decoding: $0, as: UTF8.self) }
    }

    /// Re-wraps a PEM body under another label.
    static func relabel(_ pem: String, from: String, to: String) -> String {
        pem.replacingOccurrences(of: "BEGIN \(from)-----", with: "BEGIN \(to)-----")
            .replacingOccurrences(of: "END \(from)-----", with: "END \(to)-----")
    }

    static func pem(label: String, der: [UInt8]) -> String {
        let b64 = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN \(label)-----\n\(b64)\n-----END \(label)-----\n"
    }
}

@Suite struct RSAKeyLoadingTests {
    @Test func pkcs8PEMRoundTripSignsIdentically() throws {
        let key = Fixtures.key2048
        let pem = try Fixtures.pkcs8PEM(key)
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let loaded = try RSAPrivateKey(pem: pem)
        let message = Array("hello".utf8)
        #expect(try loaded.signature(for: message, algorithm: .rs256) == key.signature(for: message, algorithm: .rs256))
        #expect(loaded.publicKey.modulus == key.publicKey.modulus)
    }

    @Test func pkcs1AndPKCS8FromWycheproofLoadToTheSameKey() throws {
        let c = try #require(Wycheproof.signCases("rsa_pkcs1_4096_sig_gen_test.json").first)
        let pkcs1 = try RSAPrivateKey(pem: c.privateKeyPEM)
        let pkcs8 = try RSAPrivateKey(der: c.privateKeyPKCS8)
        let pkcs8PEM = try RSAPrivateKey(pem: Fixtures.pem(label: "PRIVATE KEY", der: c.privateKeyPKCS8))
        #expect(pkcs1.bits == 4096)
        #expect(pkcs1.publicKey.modulus == pkcs8.publicKey.modulus)
        #expect(pkcs8PEM.publicKey.modulus == pkcs8.publicKey.modulus)
    }

    @Test func labelMismatchIsNamed() throws {
        let pem = try Fixtures.pkcs8PEM(Fixtures.key2048)
        let wrong = Fixtures.relabel(pem, from: "PRIVATE KEY", to: "RSA PRIVATE KEY")
        let error = #expect(throws: SignetKeyError.self) { try RSAPrivateKey(pem: wrong) }
        #expect(error?.code == .pemLabelMismatch)
        #expect(error?.reason.contains("PKCS#8") == true)

        let c = try #require(Wycheproof.signCases("rsa_pkcs1_2048_sig_gen_test.json").first)
        let reverse = Fixtures.relabel(c.privateKeyPEM, from: "RSA PRIVATE KEY", to: "PRIVATE KEY")
        let error2 = #expect(throws: SignetKeyError.self) { try RSAPrivateKey(pem: reverse) }
        #expect(error2?.code == .pemLabelMismatch)
        #expect(error2?.reason.contains("PKCS#1") == true)

        let spki = try Fixtures.key2048.publicKey.spkiDER()
        let error3 = #expect(throws: SignetKeyError.self) {
            try RSAPublicKey(pem: Fixtures.pem(label: "RSA PUBLIC KEY", der: spki))
        }
        #expect(error3?.code == .pemLabelMismatch)
    }

    @Test func publicKeyFormsAgree() throws {
        let pub = Fixtures.key2048.publicKey
        let fromPEM = try RSAPublicKey(pem: pub.pem())
        let fromDER = try RSAPublicKey(der: pub.spkiDER())
        let fromJWK = try RSAPublicKey(jwk: pub.jwk)
        let fromNumbers = try RSAPublicKey(modulus: [0] + pub.modulus, exponent: pub.exponent)
        for k in [fromPEM, fromDER, fromJWK, fromNumbers] {
            #expect(k.modulus == pub.modulus)
            #expect(k.exponent == [1, 0, 1])
        }
        #expect(pub.jwk.e == "AQAB")
    }

    @Test func pkcs1PublicKeyLoads() throws {
        // RSAPublicKey ::= SEQUENCE { n INTEGER, e INTEGER }, built by hand from the key's numbers.
        let pub = Fixtures.key2048.publicKey
        func integer(_ b: [UInt8]) -> [UInt8] {
            let body = (b.first ?? 0) >= 0x80 ? [0] + b : b
            return [0x02] + length(body.count) + body
        }
        func length(_ n: Int) -> [UInt8] {
            n < 128 ? [UInt8(n)] : n < 256 ? [0x81, UInt8(n)] : [0x82, UInt8(n >> 8), UInt8(n & 255)]
        }
        let body = integer(pub.modulus) + integer(pub.exponent)
        let der = [0x30] + length(body.count) + body
        let key = try RSAPublicKey(pem: Fixtures.pem(label: "RSA PUBLIC KEY", der: der))
        #expect(key.modulus == pub.modulus)
        let error = #expect(throws: SignetKeyError.self) { try RSAPublicKey(der: der + [0]) }
        #expect(error?.code == .derMalformed)
    }

    @Test func privateKeyWherePublicExpected() throws {
        let pem = try Fixtures.pkcs8PEM(Fixtures.key2048)
        let error = #expect(throws: SignetKeyError.self) { try RSAPublicKey(pem: pem) }
        #expect(error?.code == .wrongKeyKind)
        let error2 = #expect(throws: SignetKeyError.self) { try RSAPrivateKey(pem: Fixtures.key2048.publicKey.pem()) }
        #expect(error2?.code == .wrongKeyKind)
    }

    @Test func smallAndMalformedNumbersAreRefused() throws {
        var rng = SplitMix64(seed: 7)
        var n1024 = rng.bytes(128)
        n1024[0] |= 0x80
        n1024[127] |= 1
        #expect(throws: SignetKeyError(.keyTooSmall, reason: "")) {
            try RSAPublicKey(modulus: n1024, exponent: [1, 0, 1])
        }
        var n = Fixtures.key2048.publicKey.modulus
        #expect(throws: SignetKeyError(.invalidExponent, reason: "")) { try RSAPublicKey(modulus: n, exponent: [1]) }
        #expect(throws: SignetKeyError(.invalidExponent, reason: "")) {
            try RSAPublicKey(modulus: n, exponent: [1, 0, 0])
        }
        n[n.count - 1] &= 0xFE
        #expect(throws: SignetKeyError(.invalidModulus, reason: "")) {
            try RSAPublicKey(modulus: n, exponent: [1, 0, 1])
        }
        #expect(throws: SignetKeyError(.keyGeneration, reason: "")) { try RSAPrivateKey.generate(bits: 1024) }
    }

    /// Verification cost grows with the modulus and with every exponent bit, and verifiers load keys from clients'
    /// JWKS documents: moduli over 16,384 bits and exponents over 64 bits are refused before any work.
    @Test func oversizedNumbersAreRefused() throws {
        var rng = SplitMix64(seed: 8)
        var huge = rng.bytes(16_384 / 8 + 1)  // 16,392 bits
        huge[0] |= 0x80
        huge[huge.count - 1] |= 1
        let tooLarge = #expect(throws: SignetKeyError.self) { try RSAPublicKey(modulus: huge, exponent: [1, 0, 1]) }
        #expect(tooLarge?.code == .invalidModulus)
        #expect(tooLarge?.reason.contains("at most 16384") == true)
        let n = Fixtures.key2048.publicKey.modulus
        let e65 = [UInt8(1)] + [UInt8](repeating: 0, count: 7) + [1]  // 2^64 + 1: 65 bits
        let longExponent = #expect(throws: SignetKeyError.self) { try RSAPublicKey(modulus: n, exponent: e65) }
        #expect(longExponent?.code == .invalidExponent)
        let e64 = [UInt8(0x80)] + [UInt8](repeating: 0, count: 6) + [1]  // 2^63 + 1: 64 bits, accepted
        #expect(throws: Never.self) { try RSAPublicKey(modulus: n, exponent: e64) }
        let jwk = RSAJWKComponents(n: Base64URL.encode(n), e: Base64URL.encode(e65))
        #expect(throws: SignetKeyError(.invalidExponent, reason: "")) { try RSAPublicKey(jwk: jwk) }
    }

    @Test func truncatedAndNoisyPEM() throws {
        let pem = try Fixtures.pkcs8PEM(Fixtures.key2048)
        let truncated = String(pem.prefix(pem.count / 2))
        #expect(throws: SignetKeyError(.pemMalformed, reason: "")) { try RSAPrivateKey(pem: truncated) }
        #expect(throws: SignetKeyError(.pemMalformed, reason: "")) { try RSAPrivateKey(pem: "not a pem") }
        // Garbage inside the base64 body.
        let lines = pem.split(separator: "\n", omittingEmptySubsequences: false)
        var broken = lines
        broken.insert("Bag Attributes: junk", at: 2)
        #expect(throws: SignetKeyError.self) { try RSAPrivateKey(pem: broken.joined(separator: "\n")) }
        // Text before, between and after blocks is ignored; the key block is found.
        let cert = Fixtures.pem(label: "CERTIFICATE", der: [0x30, 0x00])
        let noisy = "subject=/CN=x\n" + cert + "some garbage\n" + pem + "trailer\n"
        #expect(try RSAPrivateKey(pem: noisy).publicKey.modulus == Fixtures.key2048.publicKey.modulus)
        // A body cut in the middle of a base64 group.
        var chopped = lines
        chopped[1] = chopped[1].dropLast(3)
        #expect(throws: SignetKeyError.self) { try RSAPrivateKey(pem: chopped.joined(separator: "\n")) }
    }

    @Test func privateJWKLoadsAndInconsistentJWKIsRefused() throws {
        let c = try #require(Wycheproof.signCases("rsa_pkcs1_4096_sig_gen_test.json").first)
        let j = try #require(c.privateJWK)
        let jwk = RSAJWKComponents(
            n: j["n"]!, e: j["e"]!, d: j["d"], p: j["p"], q: j["q"], dp: j["dp"], dq: j["dq"], qi: j["qi"])
        let key = try RSAPrivateKey(jwk: jwk)
        #expect(try key.signature(for: c.message, algorithm: .rs256) == c.signature || c.sha != "SHA-256")
        var bad = jwk
        bad.d = jwk.dp
        #expect(throws: SignetKeyError(.keyInconsistent, reason: "")) { try RSAPrivateKey(jwk: bad) }
        var missing = jwk
        missing.qi = nil
        #expect(throws: SignetKeyError(.jwkInvalid, reason: "")) { try RSAPrivateKey(jwk: missing) }
        var badB64 = jwk
        badB64.n = "ab+c"
        #expect(throws: SignetKeyError(.jwkInvalid, reason: "")) { try RSAPrivateKey(jwk: badB64) }
    }
}
