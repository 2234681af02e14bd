// SPDX-License-Identifier: Apache-2.0

extension GMPECDSAPublicKey {
    /// The integer e of SEC 1 §4.1.3 step 5 (FIPS 186-5 §6.4.2 step 3): the leftmost min(8·hashLen, bitlen(n))
    /// bits of the digest, read as a big-endian integer.
    func truncatedDigest(_ digest: [UInt8]) -> MPZ {
        let order = curve.parameters.order
        let e = MPZ(bigEndian: digest, bits: order.bits)
        let excess = 8 * digest.count - order.bits
        if excess > 0 { e.setShiftedRight(e, by: excess) }
        return e
    }

    /// ECDSA verification (SEC 1 v2 §4.1.4) of `signature` = r || s over a message whose digest is `digest`.
    func check(signature: [UInt8], digest: [UInt8]) throws(GMPVerifierError) {
        let c = curve.parameters
        let size = curve.coordinateByteCount
        guard signature.count == curve.signatureByteCount else {
            throw .signatureLength(
                actual: signature.count, expected: curve.signatureByteCount, what: "\(curve) ECDSA (r || s)")
        }
        let n = FieldArithmetic(c.order)
        let r = MPZ(bigEndian: signature[0..<size], bits: n.field.bits)
        let s = MPZ(bigEndian: signature[size...], bits: n.field.bits)
        // Step 1: r and s in [1, n − 1].
        guard !r.isZero, r.compare(n.p) < 0 else { throw .signatureOutOfRange("r is not in [1, n − 1]") }
        guard !s.isZero, s.compare(n.p) < 0 else { throw .signatureOutOfRange("s is not in [1, n − 1]") }
        // Steps 2–3: e from the digest.
        let e = truncatedDigest(digest)
        n.reduce(e, e)
        // Step 4: u₁ = e·s⁻¹ mod n, u₂ = r·s⁻¹ mod n (s is invertible: n is prime and 0 < s < n).
        let w = n.register()
        guard n.invert(w, s) else { throw .signatureOutOfRange("s has no inverse mod n") }
        let u1 = n.register()
        let u2 = n.register()
        n.mul(u1, e, w)
        n.mul(u2, r, w)
        // Step 5: R = u₁·G + u₂·Q, which must not be the point at infinity.
        guard let point = c.linearCombination(u1: u1, u2: u2, qx: x, qy: y) else {
            throw .signatureMismatch("u₁·G + u₂·Q is the point at infinity")
        }
        // Steps 6–8: v = x_R mod n must equal r.
        let v = n.register()
        n.reduce(v, point.x)
        guard v.compare(r) == 0 else {
            throw .signatureMismatch("x(u₁·G + u₂·Q) mod n ≠ r: wrong key, message or hash, or a bad signature")
        }
    }

    /// Verifies an ECDSA signature over `message` and says why it fails.
    ///
    /// The message is hashed with `hash` (this module's own SHA-2) and the digest is truncated to the bit length
    /// of n when it is longer (FIPS 186-5 §6.4.2); for JWS use ``GMPCurve/jwsHash`` (ES256 = P-256 with SHA-256,
    /// ES384 = P-384 with SHA-384, ES512 = P-521 with SHA-512).
    /// - Parameters:
    ///   - signature: `r || s`, exactly ``GMPCurve/signatureByteCount`` bytes.
    ///   - message: The signed bytes.
    ///   - hash: The message hash.
    /// - Throws: ``GMPVerifierError`` with code `gmp.signature-length`, `gmp.signature-out-of-range` (r or s not
    ///   in [1, n − 1]) or `gmp.signature-mismatch`.
    ///
    /// Allocation: GMP registers for the computation and small arrays.
    public func verify(signature: [UInt8], message: [UInt8], hash: GMPHash) throws(GMPVerifierError) {
        try check(signature: signature, digest: hash.digest(message))
    }

    /// Verifies an ECDSA signature against a digest computed elsewhere (truncated as in
    /// ``verify(signature:message:hash:)``) and says why it fails.
    /// - Parameters:
    ///   - signature: `r || s`, exactly ``GMPCurve/signatureByteCount`` bytes.
    ///   - digest: The message digest (any length; the leftmost bit length of n bits are used).
    /// - Throws: ``GMPVerifierError``, as for ``verify(signature:message:hash:)``.
    ///
    /// Allocation: GMP registers for the computation and small arrays.
    public func verify(signature: [UInt8], digest: [UInt8]) throws(GMPVerifierError) {
        try check(signature: signature, digest: digest)
    }

    /// Checks an ECDSA signature over `message`; the `Bool` form of ``verify(signature:message:hash:)``.
    /// - Parameters:
    ///   - signature: `r || s`.
    ///   - message: The signed bytes.
    ///   - hash: The message hash.
    /// - Returns: `true` only for a valid signature.
    ///
    /// Allocation: GMP registers for the computation and small arrays.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8], hash: GMPHash) -> Bool {
        (try? check(signature: signature, digest: hash.digest(message))) != nil
    }

    /// Checks an ECDSA signature over `message`; the `@unsafe` raw-buffer form of
    /// ``isValidSignature(_:for:hash:)-([UInt8],[UInt8],_)``, for memory that comes from C.
    /// - Parameters:
    ///   - signature: `r || s`.
    ///   - message: The signed bytes.
    ///   - hash: The message hash.
    /// - Returns: `true` only for a valid signature.
    ///
    /// Allocation: GMP registers for the computation and small arrays.
    @unsafe
    public func isValidSignature(
        _ signature: UnsafeRawBufferPointer, for message: UnsafeRawBufferPointer, hash: GMPHash
    ) -> Bool {
        let digest = unsafe hash.digest(message)
        return (try? check(signature: unsafe [UInt8](signature), digest: digest)) != nil
    }
}
