// SPDX-License-Identifier: Apache-2.0

/// An X.509 certificate read for its public key (RFC 5280), as people publish keys: PEM `CERTIFICATE`, DER, or a
/// JWK's `x5c` entry (RFC 7517 §4.7). RSA, EC (P-256/384/521) and Ed25519 keys are read; the RSA key is checked and
/// loaded here, the others are loaded from ``subjectPublicKeyInfo`` by their own types (`JWSPublicKey(certificate:)`
/// in JWS does either).
///
/// Only the subject public key and the validity window are read. The certificate's signature, issuer chain and
/// dates are not checked: a JWS verifier trusts the key it was given, and a certificate that has expired still
/// carries the same key (report its expiry, as `signet doctor` does, rather than refuse it).
public struct X509Certificate: Sendable {
    /// The certificate's RSA public key, with the same checks as ``RSAPublicKey/init(der:)``; `nil` when the
    /// certificate holds an EC or Ed25519 key.
    public let rsaPublicKey: RSAPublicKey?
    /// The family of the certificate's key.
    public let keyFamily: KeyFamily
    /// The certificate's `SubjectPublicKeyInfo`, DER, as it holds it.
    public let subjectPublicKeyInfo: [UInt8]
    /// `notBefore`, seconds since the Unix epoch.
    public let notBefore: Int64
    /// `notAfter`, seconds since the Unix epoch.
    public let notAfter: Int64
    /// The subject name in OpenSSL's one-line form (e.g. `/CN=signet-test`).
    public let subject: String

    /// Reads a DER `Certificate`.
    ///
    /// - Parameter der: The certificate's DER bytes; nothing may follow it.
    /// - Throws: ``SignetKeyError`` `key.certificate-invalid`, `key.wrong-type` (a key neither RSA, EC nor Ed25519),
    ///   and for an RSA key the codes of ``RSAPublicKey/init(der:)`` (`key.too-small`, `key.invalid-exponent`, …).
    /// - Allocation: allocates.
    public init(der: [UInt8]) throws(SignetKeyError) {
        let parsed = try OpenSSLKeyContainers.certificate(der: der)
        guard let family = try DERKeyStructure.classify(parsed.spki).family else {
            throw SignetKeyError(
                .wrongKeyType, reason: "the certificate's key is neither RSA, EC (P-256/384/521) nor Ed25519")
        }
        keyFamily = family
        subjectPublicKeyInfo = parsed.spki
        rsaPublicKey = family == .rsa ? try RSAPublicKey(der: parsed.spki) : nil
        notBefore = parsed.notBefore
        notAfter = parsed.notAfter
        subject = parsed.subject
    }

    /// Reads the first `CERTIFICATE` block of PEM text.
    ///
    /// - Parameter pem: PEM text; text around blocks is ignored.
    /// - Throws: ``SignetKeyError`` `key.pem-malformed`, `key.pem-unsupported-label` (no `CERTIFICATE` block), and
    ///   the codes of ``init(der:)``.
    /// - Allocation: allocates.
    public init(pem: String) throws(SignetKeyError) {
        let blocks = try PEMReader.blocks(in: Array(pem.utf8))
        guard let block = blocks.first(where: { $0.label == "CERTIFICATE" }) else {
            throw SignetKeyError(
                .pemUnsupportedLabel, offset: blocks.first?.offset,
                reason: "no CERTIFICATE block (found: \(blocks.map(\.label).joined(separator: ", ")))")
        }
        do throws(SignetKeyError) {
            try self.init(der: block.der)
        } catch {
            throw SignetKeyError(
                error.code, offset: block.offset, reason: error.reason, openSSLErrors: error.openSSLErrors,
                underlying: error.underlying)
        }
    }

    /// Reads one `x5c` entry of a JWK: standard base64 (RFC 4648 §4, with padding, not base64url) of a DER
    /// certificate.
    ///
    /// - Parameter x5c: The entry's string value.
    /// - Throws: ``SignetKeyError`` `key.certificate-invalid` (not base64, with the byte offset in the string), and
    ///   the codes of ``init(der:)``.
    /// - Allocation: allocates.
    public init(x5c: String) throws(SignetKeyError) {
        let bytes = Array(x5c.utf8)
        let der: [UInt8]
        do throws(SignetKeyError) {
            der = try Base64Standard.decode(bytes[...], baseOffset: 0)
        } catch {
            throw SignetKeyError(.certificateInvalid, offset: error.offset, reason: "x5c: " + error.reason)
        }
        try self.init(der: der)
    }

    /// Whether the certificate has expired at `now` (seconds since the Unix epoch).
    public func hasExpired(at now: Int64) -> Bool { now > notAfter }
}
