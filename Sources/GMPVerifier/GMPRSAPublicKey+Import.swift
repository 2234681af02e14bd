// SPDX-License-Identifier: Apache-2.0

extension GMPRSAPublicKey {
    /// Loads a key from a DER `SubjectPublicKeyInfo` (RFC 5280 §4.1, the `PUBLIC KEY` PEM payload) holding an
    /// `rsaEncryption` key (RFC 8017 Appendix A.1).
    ///
    /// The DER must be strict: definite minimal lengths, the algorithm exactly `1.2.840.113549.1.1.1` with NULL
    /// parameters, a BIT STRING with 0 unused bits, non-negative minimally encoded INTEGERs, and no trailing bytes at
    /// any level.
    /// - Parameter spkiDER: The DER bytes.
    /// - Throws: ``GMPVerifierError`` with code `gmp.invalid-der` (with the byte offset), or any code of
    ///   ``init(modulus:exponent:)``.
    ///
    /// Allocation: two GMP integers (kept by the key) plus temporary slices of the input.
    public convenience init(spkiDER: [UInt8]) throws(GMPVerifierError) {
        let (n, e) = try RSAKeyDER.parseSubjectPublicKeyInfo(spkiDER)
        try self.init(modulus: GMPInteger(bigEndian: n), exponent: GMPInteger(bigEndian: e))
    }

    /// Loads a key from a DER PKCS#1 `RSAPublicKey` (RFC 8017 Appendix A.1.1, the `RSA PUBLIC KEY` PEM payload).
    ///
    /// The same DER strictness as ``init(spkiDER:)`` applies.
    /// - Parameter pkcs1DER: The DER bytes of `SEQUENCE { modulus INTEGER, publicExponent INTEGER }`.
    /// - Throws: ``GMPVerifierError`` with code `gmp.invalid-der` (with the byte offset), or any code of
    ///   ``init(modulus:exponent:)``.
    ///
    /// Allocation: two GMP integers (kept by the key).
    public convenience init(pkcs1DER: [UInt8]) throws(GMPVerifierError) {
        let (n, e) = try RSAKeyDER.parseRSAPublicKey(pkcs1DER)
        try self.init(modulus: GMPInteger(bigEndian: n), exponent: GMPInteger(bigEndian: e))
    }

    /// Loads a key from a PEM document (RFC 7468): `-----BEGIN PUBLIC KEY-----` (SubjectPublicKeyInfo) or
    /// `-----BEGIN RSA PUBLIC KEY-----` (PKCS#1).
    ///
    /// Layout accepted: optional whitespace before and after the document; BEGIN and END lines with the same label;
    /// a body of standard base64 lines (LF or CRLF), no blank lines, no headers, no spaces, padding only at the end.
    /// Private-key labels are refused.
    /// - Parameter pem: The PEM text.
    /// - Throws: ``GMPVerifierError`` with code `gmp.invalid-pem` (armour, label), `gmp.invalid-base64` (body),
    ///   `gmp.invalid-der`, or any code of ``init(modulus:exponent:)``.
    ///
    /// Allocation: the decoded body and two GMP integers.
    public convenience init(pem: String) throws(GMPVerifierError) {
        let document = try PEMDocument(parsing: Array(pem.utf8))
        switch document.label {
        case .subjectPublicKeyInfo: try self.init(spkiDER: document.der)
        case .rsaPublicKey: try self.init(pkcs1DER: document.der)
        }
    }

    /// Loads a key from the JWK members `n` and `e` (RFC 7518 §6.3.1): base64url without padding, each the minimal
    /// big-endian encoding of a positive integer.
    ///
    /// Only the two strings are examined; parse the JSON (and check `kty` is `RSA`) before calling this.
    /// - Parameters:
    ///   - jwkN: The `n` member.
    ///   - jwkE: The `e` member (usually `AQAB`).
    /// - Throws: ``GMPVerifierError`` with code `gmp.invalid-base64` (alphabet, length, padding, non-canonical final
    ///   character), `gmp.invalid-jwk` (empty or with a leading zero octet), or any code of
    ///   ``init(modulus:exponent:)``.
    ///
    /// Allocation: the decoded members and two GMP integers.
    public convenience init(jwkN: String, jwkE: String) throws(GMPVerifierError) {
        let n = try StrictBase64.decode(Array(jwkN.utf8), .urlUnpadded, what: "JWK member n")
        let e = try StrictBase64.decode(Array(jwkE.utf8), .urlUnpadded, what: "JWK member e")
        for (name, value) in [("n", n), ("e", e)] {
            guard let first = value.first else { throw .invalidJWK("JWK member \(name) is empty") }
            guard first != 0 else {
                throw .invalidJWK("JWK member \(name) has a leading zero octet (RFC 7518 §6.3.1 requires the minimum)")
            }
        }
        try self.init(modulus: GMPInteger(bigEndian: n[...]), exponent: GMPInteger(bigEndian: e[...]))
    }
}
