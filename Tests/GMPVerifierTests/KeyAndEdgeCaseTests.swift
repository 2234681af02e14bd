// SPDX-License-Identifier: Apache-2.0

import Foundation
import TestSupport
import Testing

@testable import GMPVerifier

/// A minimal DER writer for building good and deliberately broken keys.
enum DERWriter {
    static func length(_ n: Int) -> [UInt8] {
        if n < 0x80 { return [UInt8(n)] }
        var bytes: [UInt8] = []
        var v = n
        while v > 0 {
            bytes.insert(UInt8(v & 0xFF), at: 0)
            v >>= 8
        }
        return [0x80 | UInt8(bytes.count)] + bytes
    }

    static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] { [tag] + length(content.count) + content }

    static func integer(_ magnitude: [UInt8]) -> [UInt8] {
        var m = Array(magnitude.drop { $0 == 0 })
        if m.isEmpty || m[0] & 0x80 != 0 { m.insert(0, at: 0) }
        return tlv(0x02, m)
    }

    static let rsaAlgorithm: [UInt8] = tlv(
        0x30, [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05, 0x00])

    static func pkcs1(n: [UInt8], e: [UInt8]) -> [UInt8] { tlv(0x30, integer(n) + integer(e)) }

    static func spki(pkcs1: [UInt8], algorithm: [UInt8] = rsaAlgorithm, unusedBits: UInt8 = 0) -> [UInt8] {
        tlv(0x30, algorithm + tlv(0x03, [unusedBits] + pkcs1))
    }

    static func pem(_ der: [UInt8], label: String, lineEnding: String = "\n") -> String {
        let b64 = Data(der).base64EncodedString()
        var lines: [String] = []
        var rest = Substring(b64)
        while !rest.isEmpty {
            lines.append(String(rest.prefix(64)))
            rest = rest.dropFirst(64)
        }
        return (["-----BEGIN \(label)-----"] + lines + ["-----END \(label)-----"]).joined(separator: lineEnding)
            + lineEnding
    }
}

/// The RFC 7515 A.2 key and signature, used as the base for edge cases.
struct Fixture {
    let key: GMPRSAPublicKey
    let n: [UInt8]
    let e: [UInt8]
    let signature: [UInt8]
    let input: [UInt8]

    static func load() throws -> Fixture {
        let v = try vectorObject("rfc/rfc7515_a2_rs256.json")
        let jwk = try v.object("jwk")
        let n = try #require(Oracle.base64URL(try jwk.string("n")))
        let e = try #require(Oracle.base64URL(try jwk.string("e")))
        let signature = try #require(v["signature_octets"] as? [Int]).map { UInt8($0) }
        return Fixture(
            key: try GMPRSAPublicKey(modulus: n, exponent: e), n: n, e: e, signature: signature,
            input: Array(try v.string("signing_input_ascii").utf8))
    }
}

/// Expects `body` to throw an ``GMPVerifierError`` with `code`; returns the error.
@discardableResult
func expectCode(
    _ code: GMPVerifierError.Code, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) -> GMPVerifierError? {
    do {
        try body()
        Issue.record("expected \(code), nothing thrown. \(comment?.rawValue ?? "")", sourceLocation: sourceLocation)
        return nil
    } catch let error as GMPVerifierError {
        #expect(error.code == code, "\(error). \(comment?.rawValue ?? "")", sourceLocation: sourceLocation)
        #expect(!error.reason.isEmpty, sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected GMPVerifierError \(code), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

@Suite struct SignatureEdgeCaseTests {
    /// 0, 1, n−1, n, n+1, 2^(8k)−1: all rejected without trapping, each for the documented reason.
    @Test func signatureValuesAtTheEdges() throws {
        let f = try Fixture.load()
        let k = f.key.signatureByteCount
        #expect(f.n.count == k)
        let cases: [(String, [UInt8], GMPVerifierError.Code)] = [
            ("0", [UInt8](repeating: 0, count: k), .encodingMismatch),
            ("1", BigEndian.padded([1], to: k), .encodingMismatch),
            ("n-1", BigEndian.adding(f.n, -1), .encodingMismatch),
            ("n", f.n, .signatureOutOfRange),
            ("n+1", BigEndian.adding(f.n, 1), .signatureOutOfRange),
            ("2^(8k)-1", [UInt8](repeating: 0xFF, count: k), .signatureOutOfRange),
        ]
        for (name, signature, code) in cases {
            #expect(signature.count == k)
            #expect(!f.key.isValidSignature(signature, for: f.input, algorithm: .rs256), "s = \(name)")
            expectCode(code, "s = \(name)") { try f.key.verifySignature(signature, for: f.input, algorithm: .rs256) }
        }
        #expect(f.key.isValidSignature(f.signature, for: f.input, algorithm: .rs256))
    }

    @Test func signatureLengthMustBeK() throws {
        let f = try Fixture.load()
        for signature in [[], Array(f.signature.dropFirst()), [0] + f.signature, f.signature + [0]] {
            #expect(!f.key.isValidSignature(signature, for: f.input, algorithm: .rs256))
            let error = expectCode(.signatureLength) {
                try f.key.verifySignature(signature, for: f.input, algorithm: .rs256)
            }
            #expect(error?.reason.contains("\(signature.count) bytes") == true)
        }
    }

    @Test func digestLengthMustMatchAlgorithm() throws {
        let f = try Fixture.load()
        let digest = SHA256.hash(f.input)
        #expect(f.key.isValidSignature(f.signature, forDigest: digest, algorithm: .rs256))
        for bad in [[], Array(digest.dropLast()), digest + [0]] {
            #expect(!f.key.isValidSignature(f.signature, forDigest: bad, algorithm: .rs256))
            expectCode(.digestLength) { try f.key.verifySignature(f.signature, forDigest: bad, algorithm: .rs256) }
        }
        expectCode(.digestLength) { try f.key.verifySignature(f.signature, forDigest: digest, algorithm: .rs512) }
    }

    /// One key shared by many tasks at once (the key is immutable; GMP allows concurrent reads).
    @Test func concurrentVerification() async throws {
        let f = try Fixture.load()
        let key = f.key
        let signature = f.signature
        let input = f.input
        let results = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<16 {
                group.addTask {
                    var ok = true
                    for j in 0..<20 {
                        var s = signature
                        if (i + j) % 2 == 1 { s[j] ^= 0x40 }
                        ok = ok && key.isValidSignature(s, for: input, algorithm: .rs256) == ((i + j) % 2 == 0)
                    }
                    return ok
                }
            }
            var all: [Bool] = []
            for await r in group { all.append(r) }
            return all
        }
        #expect(results.count == 16 && results.allSatisfy { $0 })
    }
}

@Suite struct KeyValidationTests {
    @Test func exponentRules() throws {
        let f = try Fixture.load()
        for (name, e) in [
            ("even (65536)", [0x01, 0x00, 0x00]), ("1", [0x01]), ("0", [0x00]), ("empty", []), ("2", [0x02]),
            ("n", f.n), ("n+2", BigEndian.adding([0] + f.n, 2)),
        ] as [(String, [UInt8])] {
            expectCode(.invalidExponent, "e = \(name)") { _ = try GMPRSAPublicKey(modulus: f.n, exponent: e) }
        }
        // e = 3 and e = n - 2 (odd, below n) are allowed.
        _ = try GMPRSAPublicKey(modulus: f.n, exponent: [3])
        _ = try GMPRSAPublicKey(modulus: f.n, exponent: BigEndian.adding(f.n, -2))
        // Leading zero bytes in the raw form are ignored.
        let padded = try GMPRSAPublicKey(modulus: [0, 0] + f.n, exponent: [0] + f.e)
        #expect(padded.modulus == f.n && padded.publicExponent == f.e)
    }

    @Test func modulusRules() throws {
        let f = try Fixture.load()
        var even = f.n
        even[even.count - 1] &= 0xFE
        expectCode(.invalidModulus, "n even") { _ = try GMPRSAPublicKey(modulus: even, exponent: f.e) }
        expectCode(.invalidModulus, "n = 0") { _ = try GMPRSAPublicKey(modulus: [0, 0], exponent: f.e) }
        expectCode(.invalidModulus, "n empty") { _ = try GMPRSAPublicKey(modulus: [], exponent: f.e) }

        var n1024 = Array(f.n.prefix(128))
        n1024[127] |= 1
        let small = expectCode(.keyTooSmall, "1024-bit") { _ = try GMPRSAPublicKey(modulus: n1024, exponent: f.e) }
        #expect(small?.reason.contains("1024 bits") == true)
        var n2047 = f.n
        n2047[0] = 0x7F
        expectCode(.keyTooSmall, "2047-bit") { _ = try GMPRSAPublicKey(modulus: n2047, exponent: f.e) }
        let n16392 = [UInt8](repeating: 0xFF, count: 2049)
        expectCode(.keyTooLarge, "16392-bit") { _ = try GMPRSAPublicKey(modulus: n16392, exponent: f.e) }
        let n16384 = [UInt8](repeating: 0xFF, count: 2048)
        #expect(try GMPRSAPublicKey(modulus: n16384, exponent: f.e).modulusBitCount == 16384)
        // 1024-bit keys are refused through every import path too.
        expectCode(.keyTooSmall) { _ = try GMPRSAPublicKey(pkcs1DER: DERWriter.pkcs1(n: n1024, e: f.e)) }
    }

    @Test func derImportAcceptsStrictEncodings() throws {
        let f = try Fixture.load()
        let pkcs1 = DERWriter.pkcs1(n: f.n, e: f.e)
        let spki = DERWriter.spki(pkcs1: pkcs1)
        for key in [try GMPRSAPublicKey(spkiDER: spki), try GMPRSAPublicKey(pkcs1DER: pkcs1)] {
            #expect(key.modulus == f.n && key.publicExponent == f.e)
            #expect(key.isValidSignature(f.signature, for: f.input, algorithm: .rs256))
        }
    }

    @Test func derImportRejectsLaxEncodings() throws {
        let f = try Fixture.load()
        let pkcs1 = DERWriter.pkcs1(n: f.n, e: f.e)
        let spki = DERWriter.spki(pkcs1: pkcs1)
        #expect(Array(spki.prefix(4)) == [0x30, 0x82, 0x01, 0x22])

        var nonMinimalLength = spki
        nonMinimalLength.replaceSubrange(1..<4, with: [0x83, 0x00, 0x01, 0x22])  // 3 length octets, leading 00
        var longFormShortLength = spki
        longFormShortLength.replaceSubrange(15..<17, with: [0x05, 0x81, 0x00])  // NULL with 81 00
        let nMagnitude = Array(f.n.drop { $0 == 0 })
        let negativeModulus = DERWriter.tlv(0x30, DERWriter.tlv(0x02, nMagnitude) + DERWriter.integer(f.e))
        let paddedModulus = DERWriter.tlv(0x30, DERWriter.tlv(0x02, [0, 0] + nMagnitude) + DERWriter.integer(f.e))
        let negativeExponent = DERWriter.tlv(0x30, DERWriter.integer(f.n) + DERWriter.tlv(0x02, [0xFF]))
        let emptyInteger = DERWriter.tlv(0x30, DERWriter.integer(f.n) + [0x02, 0x00])
        let pssOID: [UInt8] = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0A]
        let missingNull = DERWriter.spki(
            pkcs1: pkcs1,
            algorithm: DERWriter.tlv(0x30, [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01]))
        let cases: [(String, [UInt8])] = [
            ("trailing byte", spki + [0x00]),
            ("non-minimal long length", nonMinimalLength),
            ("long form for a short length", longFormShortLength),
            ("indefinite length", [0x30, 0x80] + Array(spki.dropFirst(4)) + [0x00, 0x00]),
            ("truncated", Array(spki.dropLast())),
            ("empty", []),
            ("negative INTEGER modulus", DERWriter.spki(pkcs1: negativeModulus)),
            ("INTEGER with redundant leading zero", DERWriter.spki(pkcs1: paddedModulus)),
            ("negative INTEGER exponent", DERWriter.spki(pkcs1: negativeExponent)),
            ("empty INTEGER", DERWriter.spki(pkcs1: emptyInteger)),
            ("RSASSA-PSS OID", DERWriter.spki(pkcs1: pkcs1, algorithm: DERWriter.tlv(0x30, pssOID + [0x05, 0x00]))),
            ("missing NULL parameters", missingNull),
            ("BIT STRING with 1 unused bit", DERWriter.spki(pkcs1: pkcs1, unusedBits: 1)),
            ("trailing byte inside the BIT STRING", DERWriter.spki(pkcs1: pkcs1 + [0x00])),
            (
                "third INTEGER in RSAPublicKey",
                DERWriter.spki(
                    pkcs1: DERWriter.tlv(0x30, DERWriter.integer(f.n) + DERWriter.integer(f.e) + DERWriter.integer([1]))
                )
            ),
            ("constructed BIT STRING", Array(spki.prefix(19)) + [0x23] + Array(spki.dropFirst(20))),
            ("PKCS#1 where SPKI expected", pkcs1),
        ]
        #expect(spki[19] == 0x03)
        for (name, der) in cases {
            let error = expectCode(.invalidDER, "SPKI: \(name)") { _ = try GMPRSAPublicKey(spkiDER: der) }
            #expect(error?.offset != nil, "\(name)")
        }
        // PKCS#1 form.
        for (name, der) in [
            ("trailing byte", pkcs1 + [0]), ("negative modulus", negativeModulus), ("padded modulus", paddedModulus),
            ("SPKI where PKCS#1 expected", spki),
        ] {
            expectCode(.invalidDER, "PKCS#1: \(name)") { _ = try GMPRSAPublicKey(pkcs1DER: der) }
        }
    }

    @Test func pemImport() throws {
        let f = try Fixture.load()
        let pkcs1 = DERWriter.pkcs1(n: f.n, e: f.e)
        let spki = DERWriter.spki(pkcs1: pkcs1)
        let good = [
            DERWriter.pem(spki, label: "PUBLIC KEY"), DERWriter.pem(spki, label: "PUBLIC KEY", lineEnding: "\r\n"),
            DERWriter.pem(pkcs1, label: "RSA PUBLIC KEY"), "\n  " + DERWriter.pem(spki, label: "PUBLIC KEY") + "\n\n",
        ]
        for text in good {
            let key = try GMPRSAPublicKey(pem: text)
            #expect(key.modulus == f.n && key.isValidSignature(f.signature, for: f.input, algorithm: .rs256))
        }
        let pem = DERWriter.pem(spki, label: "PUBLIC KEY")
        // With e = 3 the SPKI is 292 bytes, so its base64 ends in "==" (the 2048-bit/e=65537 one is 294: no padding).
        let padded = DERWriter.pem(DERWriter.spki(pkcs1: DERWriter.pkcs1(n: f.n, e: [3])), label: "PUBLIC KEY")
        #expect(try GMPRSAPublicKey(pem: padded).publicExponent == [3])
        var lines = pem.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let cases: [(String, String, GMPVerifierError.Code)] = [
            (
                "wrong END label", pem.replacingOccurrences(of: "END PUBLIC KEY", with: "END RSA PUBLIC KEY"),
                .invalidPEM
            ),
            ("private key label", DERWriter.pem(spki, label: "PRIVATE KEY"), .invalidPEM),
            ("certificate label", DERWriter.pem(spki, label: "CERTIFICATE"), .invalidPEM),
            ("PKCS#1 body under PUBLIC KEY", DERWriter.pem(pkcs1, label: "PUBLIC KEY"), .invalidDER),
            ("SPKI body under RSA PUBLIC KEY", DERWriter.pem(spki, label: "RSA PUBLIC KEY"), .invalidDER),
            ("no END line", lines.dropLast(2).joined(separator: "\n"), .invalidPEM),
            ("text before BEGIN", "key:\n" + pem, .invalidPEM),
            ("empty", "", .invalidPEM),
            (
                "blank line in body",
                {
                    var l = lines
                    l.insert("", at: 2)
                    return l.joined(separator: "\n")
                }(), .invalidPEM
            ),
            (
                "space in body",
                {
                    var l = lines
                    l[1] = " " + l[1]
                    return l.joined(separator: "\n")
                }(), .invalidBase64
            ),
            (
                "header line",
                {
                    var l = lines
                    l.insert("Proc-Type: 4,ENCRYPTED", at: 1)
                    return l.joined(separator: "\n")
                }(), .invalidBase64
            ),
            (
                "url-safe alphabet",
                pem.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_"), .invalidBase64
            ),
            ("padding removed", padded.replacingOccurrences(of: "=", with: ""), .invalidBase64),
            (
                "padding in the middle",
                padded.replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "\nMII", with: "\n=MII"),
                .invalidBase64
            ),
        ]
        // keep `lines` used for the last case: a body that is not a multiple of 4
        lines[1] = String(lines[1].dropLast())
        for (name, text, code) in cases + [("short line", lines.joined(separator: "\n"), .invalidBase64)] {
            expectCode(code, "PEM: \(name)") { _ = try GMPRSAPublicKey(pem: text) }
        }
        // The url-safe case only means something if the body really had '+' or '/'.
        #expect(pem.contains("+") || pem.contains("/"))
        #expect(padded.contains("=\n"), "padding case needs padding")
    }

    @Test func jwkImport() throws {
        let f = try Fixture.load()
        let v = try vectorObject("rfc/rfc7515_a2_rs256.json")
        let n = try v.object("jwk").string("n")
        let key = try GMPRSAPublicKey(jwkN: n, jwkE: "AQAB")
        #expect(key.modulus == f.n && key.publicExponent == [1, 0, 1])
        let cases: [(String, String, String, GMPVerifierError.Code)] = [
            ("padding", n, "AQAB=", .invalidBase64),
            ("standard alphabet", n.replacingOccurrences(of: "-", with: "+"), "AQAB", .invalidBase64),
            ("whitespace", n + " ", "AQAB", .invalidBase64),
            ("impossible length", n, "AQABA", .invalidBase64),
            ("non-canonical last character", n, "AR", .invalidBase64),
            ("leading zero octet in e", n, "AAEAAQ", .invalidJWK),
            ("leading zero octet in n", "AA" + n, "AQAB", .invalidJWK),
            ("empty n", "", "AQAB", .invalidJWK),
            ("empty e", n, "", .invalidJWK),
            ("e = 1", n, "AQ", .invalidExponent),
        ]
        #expect(n.contains("-") && n.count % 4 == 2)
        for (name, jwkN, jwkE, code) in cases {
            expectCode(code, "JWK: \(name)") { _ = try GMPRSAPublicKey(jwkN: jwkN, jwkE: jwkE) }
        }
        // A real leading zero octet in n (a whole extra 00 byte, re-encoded) is refused as non-minimal.
        let zeroPrefixed = Data([0] + f.n).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        expectCode(.invalidJWK) { _ = try GMPRSAPublicKey(jwkN: zeroPrefixed, jwkE: "AQAB") }
    }

    @Test func algorithmNames() {
        #expect(GMPRSAAlgorithm(jwsName: "RS256") == .rs256)
        #expect(GMPRSAAlgorithm(jwsName: "RS384") == .rs384)
        #expect(GMPRSAAlgorithm(jwsName: "RS512") == .rs512)
        #expect(GMPRSAAlgorithm(jwsName: "rs256") == nil)
        #expect(GMPRSAAlgorithm(jwsName: "none") == nil)
        #expect(GMPRSAAlgorithm(jwsName: "PS256") == .ps256)
        #expect(GMPRSAAlgorithm(jwsName: "PS384") == .ps384)
        #expect(GMPRSAAlgorithm(jwsName: "PS512") == .ps512)
        #expect(GMPRSAAlgorithm(jwsName: "ps256") == nil)
        #expect(GMPRSAAlgorithm.all.map(\.jwsName) == ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"])
        #expect(GMPRSAAlgorithm.all.map(\.digestByteCount) == [32, 48, 64, 32, 48, 64])
        #expect(GMPRSAAlgorithm.pssAlgorithms.allSatisfy { $0.padding == .pss })
        #expect(GMPRSAAlgorithm.pkcs1v15Algorithms.allSatisfy { $0.padding == .pkcs1v15 })
        #expect(GMPVerifierError(.keyTooSmall) == GMPVerifierError(.keyTooSmall) { "any reason" })
        #expect(GMPVerifierError.Code.signatureLength.rawValue == "gmp.signature-length")
    }
}
