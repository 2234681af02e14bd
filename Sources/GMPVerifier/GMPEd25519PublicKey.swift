// SPDX-License-Identifier: Apache-2.0

// Deliberately independent: Ed25519 also exists on the OpenSSL path, and GMPVerifier shares no code with it, so that its
// verdicts are a real second opinion (see the GMPVerifier module overview).

/// An Ed25519 public key for verifying signatures (RFC 8032 §5.1.7; JWS `EdDSA`, RFC 8037) with GMP arithmetic
/// and this module's own SHA-512: a second opinion that shares no code with OpenSSL.
///
/// Loading decodes the key with every check of RFC 8032 §5.1.3 (canonical y, a square root exists, no x = 0 with
/// the sign bit). Keys with a small-order component are not refused (RFC 8032 does not refuse them).
///
/// Verification uses the **cofactorless** equation [S]B = R + [k]A, which RFC 8032 §5.1.7 step 3 allows ("it's
/// sufficient, but not required, to instead check"); OpenSSL checks the same equation. k = SHA-512(R || A || M)
/// is reduced mod L before use, as in the RFC's reference code (§6) and OpenSSL: this equals the unreduced k for
/// every key in the prime-order subgroup (every honestly generated key).
///
/// ```swift
/// let key = try GMPEd25519PublicKey(raw: publicKeyBytes)
/// try key.verify(signature: sig, message: signingInput)
/// ```
///
/// Allocation: loading and verifying allocate GMP registers (freed before returning) and small arrays.
public final class GMPEd25519PublicKey: Sendable {
    /// The 32-byte encoding of A (RFC 8032 §5.1.5), as loaded.
    public let rawRepresentation: [UInt8]
    let x: MPZ
    let y: MPZ

    /// Loads a key from its 32-byte encoding (RFC 8032 §5.1.5), the form JWK `x` and SPKI carry.
    /// - Parameter raw: The 32 bytes.
    /// - Throws: ``GMPVerifierError`` with code `gmp.invalid-point` (wrong length, non-canonical y, not a curve point,
    ///   or x = 0 with the sign bit).
    public init(raw: [UInt8]) throws(GMPVerifierError) {
        let point = try Edwards25519.shared.decode(raw[...], what: "public key A")
        rawRepresentation = raw
        x = point.x
        y = point.y
    }

    /// Loads a key from a DER `SubjectPublicKeyInfo` (RFC 8410 §4): algorithm `id-Ed25519` (1.3.101.112) without
    /// parameters, and a 32-byte BIT STRING.
    /// - Parameter spkiDER: The DER bytes.
    /// - Throws: ``GMPVerifierError`` with code `gmp.invalid-der` (with the byte offset), `gmp.unsupported-curve`
    ///   (another algorithm) or any code of ``init(raw:)``.
    public convenience init(spkiDER: [UInt8]) throws(GMPVerifierError) {
        let (key, offset) = try ECKeyDER.parseEd25519SubjectPublicKeyInfo(spkiDER)
        do {
            try self.init(raw: Array(key))
        } catch {
            throw GMPVerifierError(error.code, offset: offset, reason: { error.reason })
        }
    }

    /// Loads a key from a PEM `-----BEGIN PUBLIC KEY-----` document (RFC 7468 §13, RFC 8410 §4), with the layout
    /// rules of ``GMPRSAPublicKey/init(pem:)``.
    /// - Parameter pem: The PEM text.
    /// - Throws: ``GMPVerifierError`` with code `gmp.invalid-pem`, `gmp.invalid-base64`, or any code of
    ///   ``init(spkiDER:)``.
    public convenience init(pem: String) throws(GMPVerifierError) {
        let document = try PEMDocument(parsing: Array(pem.utf8))
        guard document.label == .subjectPublicKeyInfo else {
            throw .invalidPEM("label 'RSA PUBLIC KEY' is not an Ed25519 public key")
        }
        try self.init(spkiDER: document.der)
    }

    /// Loads a key from the members of an OKP JWK (RFC 8037 §2): `crv` must be `Ed25519` and `x` the base64url
    /// (no padding) of the 32-byte key.
    ///
    /// Only these strings are examined; parse the JSON (and check `kty` is `OKP`, and that there is no `d`) before
    /// calling this.
    /// - Parameters:
    ///   - jwkCurve: The `crv` member.
    ///   - x: The `x` member.
    /// - Throws: ``GMPVerifierError`` with code `gmp.unsupported-curve` (another `crv`), `gmp.invalid-base64`, or
    ///   any code of ``init(raw:)``.
    public convenience init(jwkCurve: String = "Ed25519", x: String) throws(GMPVerifierError) {
        guard jwkCurve == "Ed25519" else {
            throw .unsupportedCurve("JWK crv '\(jwkCurve)' is not Ed25519")
        }
        try self.init(raw: StrictBase64.decode(Array(x.utf8), .urlUnpadded, what: "JWK member x"))
    }

    /// RFC 8032 §5.1.7 for Ed25519 (no context, no prehash), over a message in a raw buffer.
    func check(signature: [UInt8], message: UnsafeRawBufferPointer) throws(GMPVerifierError) {
        let curve = Edwards25519.shared
        guard signature.count == 64 else {
            throw .signatureLength(actual: signature.count, expected: 64, what: "Ed25519")
        }
        // Step 1: S < L, then R decodes (A was decoded when the key was loaded).
        let s = MPZ(bits: 256)
        s.set(littleEndian: signature[32..<64])
        guard s.compare(curve.order.p) < 0 else { throw .signatureOutOfRange("S is not below L") }
        let r: (x: MPZ, y: MPZ)
        do {
            r = try curve.decode(signature[0..<32], what: "R")
        } catch {
            throw .signatureOutOfRange("R is not a valid point encoding: \(error.reason)")
        }
        // Step 2: k = SHA-512(R || A || M) as a little-endian integer, reduced mod L.
        var sha = SHA512()
        sha.update(signature[0..<32])
        sha.update(rawRepresentation)
        unsafe sha.update(message)
        let k = curve.field.register()
        k.set(littleEndian: sha.finalize())
        FieldArithmetic(curve.order).reduce(k, k)
        // Step 3 (cofactorless): [S]B = R + [k]A, checked as [S]B + [k](−A) = R.
        let f = FieldArithmetic(curve.field)
        let minusX = f.register()
        f.negate(minusX, x)
        let b = EdwardsPoint(x: curve.bx, y: curve.by, field: f)
        let minusA = EdwardsPoint(x: minusX, y: y, field: f)
        let sum = curve.linearCombination(a: s, b, b: k, minusA)
        guard curve.equals(sum, x: r.x, y: r.y) else {
            throw .signatureMismatch("[S]B ≠ R + [k]A: wrong key or message, or a bad signature")
        }
    }

    /// Verifies an Ed25519 signature over `message` and says why it fails.
    /// - Parameters:
    ///   - signature: `R || S`, 64 bytes.
    ///   - message: The signed bytes.
    /// - Throws: ``GMPVerifierError`` with code `gmp.signature-length`, `gmp.signature-out-of-range` (S ≥ L, or R
    ///   not a valid point encoding) or `gmp.signature-mismatch`.
    ///
    /// Allocation: GMP registers for the computation and small arrays.
    public func verify(signature: [UInt8], message: [UInt8]) throws(GMPVerifierError) {
        let failure: GMPVerifierError? = unsafe message.withUnsafeBytes { m in
            do throws(GMPVerifierError) {
                try unsafe check(signature: signature, message: m)
            } catch {
                return error
            }
            return nil
        }
        if let failure { throw failure }
    }

    /// Checks an Ed25519 signature over `message`; the `Bool` form of ``verify(signature:message:)``.
    /// - Parameters:
    ///   - signature: `R || S`, 64 bytes.
    ///   - message: The signed bytes.
    /// - Returns: `true` only for a valid signature.
    ///
    /// Allocation: GMP registers for the computation and small arrays.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        (try? verify(signature: signature, message: message)) != nil
    }

    /// Checks an Ed25519 signature over `message`; the `@unsafe` raw-buffer form of
    /// ``isValidSignature(_:for:)-([UInt8],[UInt8])``, for memory that comes from C.
    /// - Parameters:
    ///   - signature: `R || S`, 64 bytes.
    ///   - message: The signed bytes.
    /// - Returns: `true` only for a valid signature.
    ///
    /// Allocation: GMP registers for the computation and small arrays.
    @unsafe
    public func isValidSignature(_ signature: UnsafeRawBufferPointer, for message: UnsafeRawBufferPointer) -> Bool {
        (try? unsafe check(signature: [UInt8](signature), message: message)) != nil
    }
}
