// SPDX-License-Identifier: Apache-2.0

import Foundation
import SignetKeys
import TestSupport
import Testing

/// Encrypted PKCS#8 keys and X.509 certificates, made by the `openssl` command-line tool at test time.
@Suite struct KeyContainerTests {
    static let password = "correct horse battery staple"

    /// `key`'s PKCS#8 PEM encrypted by `openssl pkcs8 -topk8` with `cipher` options.
    static func encrypted(_ key: RSAPrivateKey, _ cipher: [String]) throws -> String {
        let out = try OpenSSLCommand.run(
            ["pkcs8", "-topk8", "-in", "key.pem", "-passout", "file:pw.txt", "-out", "enc.pem"] + cipher,
            inputs: ["key.pem": Array(try Fixtures.pkcs8PEM(key).utf8), "pw.txt": Array(password.utf8)],
            outputs: ["enc.pem"])
        return String(decoding: out["enc.pem"] ?? [], as: UTF8.self)
    }

    @Test(arguments: [
        ["-v2", "aes-256-cbc"], ["-v2", "aes-128-cbc", "-v2prf", "hmacWithSHA256"], ["-v1", "PBE-SHA1-3DES"],
    ])
    func encryptedPKCS8Decrypts(cipher: [String]) throws {
        let key = Fixtures.key2048
        let pem = try Self.encrypted(key, cipher)
        #expect(pem.hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----"))
        var password = Array(Self.password.utf8)
        let loaded = try RSAPrivateKey(pem: pem, password: &password)
        #expect(password == [UInt8](repeating: 0, count: Self.password.utf8.count))  // wiped
        let message = Array("encrypted".utf8)
        #expect(
            try loaded.signature(for: message, algorithm: .rs256) == key.signature(for: message, algorithm: .rs256))
    }

    @Test func wrongOrMissingPasswordIsATypedError() throws {
        let pem = try Self.encrypted(Fixtures.key2048, ["-v2", "aes-256-cbc"])
        for wrong in ["", "correct horse battery stapl", "correct horse battery staple\n"] {
            var password = Array(wrong.utf8)
            #expect(throws: SignetKeyError(.wrongPassword, reason: "")) {
                try RSAPrivateKey(pem: pem, password: &password)
            }
            #expect(password.allSatisfy { $0 == 0 })  // wiped on failure too
        }
        #expect(throws: SignetKeyError(.passwordRequired, reason: "")) { try RSAPrivateKey(pem: pem) }
        // A plain key loads with or without a password.
        var unused = Array("x".utf8)
        let plain = try RSAPrivateKey(pem: try Fixtures.pkcs8PEM(Fixtures.key2048), password: &unused)
        #expect(plain.publicKey.modulus == Fixtures.key2048.publicKey.modulus)
        // The encrypted body under the wrong label is a label mismatch, not a decryption attempt.
        let relabelled = Fixtures.relabel(pem, from: "ENCRYPTED PRIVATE KEY", to: "PRIVATE KEY")
        #expect(throws: SignetKeyError(.pemLabelMismatch, reason: "")) { try RSAPrivateKey(pem: relabelled) }
    }

    /// A self-signed certificate for `key`, valid `days` days from now, as PEM and DER.
    static func certificate(_ key: RSAPrivateKey, days: Int) throws -> (pem: String, der: [UInt8]) {
        let out = try OpenSSLCommand.run(
            [
                "req", "-x509", "-new", "-key", "key.pem", "-subj", "/CN=signet-test/O=Signet", "-days", String(days),
                "-out", "cert.pem", "-outform", "PEM",
            ],
            inputs: ["key.pem": Array(try Fixtures.pkcs8PEM(key).utf8)], outputs: ["cert.pem"])
        let pem = String(decoding: out["cert.pem"] ?? [], as: UTF8.self)
        let der = try OpenSSLCommand.run(
            ["x509", "-in", "cert.pem", "-outform", "DER", "-out", "cert.der"], inputs: ["cert.pem": Array(pem.utf8)],
            outputs: ["cert.der"])
        return (pem, der["cert.der"] ?? [])
    }

    @Test func certificateGivesItsRSAKeyAndDates() throws {
        let key = Fixtures.key2048
        let before = Int64(Date().timeIntervalSince1970)
        let (pem, der) = try Self.certificate(key, days: 400)
        let after = Int64(Date().timeIntervalSince1970)
        for certificate in [
            try X509Certificate(pem: pem), try X509Certificate(der: der),
            try X509Certificate(x5c: Data(der).base64EncodedString()),
        ] {
            #expect(certificate.keyFamily == .rsa)
            #expect(certificate.rsaPublicKey?.modulus == key.publicKey.modulus)
            #expect(certificate.rsaPublicKey?.exponent == key.publicKey.exponent)
            #expect(certificate.subjectPublicKeyInfo == (try key.publicKey.spkiDER()))
            #expect(certificate.notAfter - certificate.notBefore == 400 * 86_400)
            // Made between the two readings of the clock (order, not a bound on how long OpenSSL took).
            #expect(certificate.notBefore >= before - 1 && certificate.notBefore <= after + 1)
            #expect(certificate.subject == "/CN=signet-test/O=Signet")
            #expect(!certificate.hasExpired(at: after) && certificate.hasExpired(at: certificate.notAfter + 1))
        }
        // RSAPublicKey(pem:) takes a certificate where a public key is expected.
        #expect(try RSAPublicKey(pem: pem).modulus == key.publicKey.modulus)
    }

    @Test func notACertificateIsATypedError() throws {
        let (pem, der) = try Self.certificate(Fixtures.key2048, days: 1)
        #expect(throws: SignetKeyError(.certificateInvalid, reason: "")) { try X509Certificate(der: der + [0]) }
        #expect(throws: SignetKeyError(.certificateInvalid, reason: "")) {
            try X509Certificate(der: Array(der.dropLast()))
        }
        #expect(throws: SignetKeyError(.certificateInvalid, reason: "")) {
            try X509Certificate(der: try Fixtures.key2048.publicKey.spkiDER())
        }
        do {
            _ = try X509Certificate(x5c: "MII*")
            Issue.record("bad base64 accepted")
        } catch {
            #expect(error.code == .certificateInvalid && error.offset == 3)
        }
        #expect(throws: SignetKeyError(.pemUnsupportedLabel, reason: "")) {
            try X509Certificate(pem: try Fixtures.key2048.publicKey.pem())
        }
        #expect(try X509Certificate(pem: "text before\n" + pem).subject == "/CN=signet-test/O=Signet")
        let ec = try OpenSSLCommand.run(
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "k.pem",
                "-subj", "/CN=ec", "-days", "1", "-outform", "DER", "-out", "ec.der",
            ], outputs: ["ec.der"])
        // An EC certificate: read, its key left to the EC loader (JWS's `JWSPublicKey(certificate:)`).
        let certificate = try X509Certificate(der: ec["ec.der"] ?? [])
        #expect(certificate.keyFamily == .ec && certificate.rsaPublicKey == nil)
        #expect(try ECPublicKey(der: certificate.subjectPublicKeyInfo).curve == .p256)
    }

    @Test func newCodesKeepTheirSpellings() {
        #expect(SignetKeyError.Code.passwordRequired.rawValue == "key.password-required")
        #expect(SignetKeyError.Code.wrongPassword.rawValue == "key.wrong-password")
        #expect(SignetKeyError.Code.certificateInvalid.rawValue == "key.certificate-invalid")
    }
}
