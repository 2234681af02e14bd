// SPDX-License-Identifier: Apache-2.0

/// An RSA public key for verifying RSASSA-PKCS1-v1_5 signatures (RS256, RS384, RS512) with GMP arithmetic and
/// Swift hashing and padding: an implementation that shares no code with OpenSSL, meant as a second opinion.
///
/// Every initializer validates the key: the modulus n is odd with 2048…16384 bits, and the public exponent e is odd
/// with 1 < e < n. The key is immutable after loading and can be shared between tasks and threads freely.
///
/// ```swift
/// let key = try GMPRSAPublicKey(pem: pemText)
/// let ok = key.isValidSignature(signature, for: signingInput, algorithm: .rs256)
/// ```
///
/// Allocation: loading allocates (two GMP integers plus parsing buffers); see each verify method for its own cost.
public final class GMPRSAPublicKey: Sendable {
    /// The smallest accepted modulus, in bits.
    public static let minimumModulusBitCount = 2048
    /// The largest accepted modulus, in bits (OpenSSL's `OPENSSL_RSA_MAX_MODULUS_BITS`).
    public static let maximumModulusBitCount = 16384

    let n: GMPInteger
    let e: GMPInteger

    /// The modulus length in bits (for example 2048, or 4095 for a key whose top bit is clear).
    public let modulusBitCount: Int
    /// The modulus length in bytes, k: every signature for this key is exactly this long.
    public let signatureByteCount: Int

    /// Validates and takes ownership of n and e (the one place every initializer goes through).
    init(modulus n: consuming GMPInteger, exponent e: consuming GMPInteger) throws(GMPVerifierError) {
        guard n.sign > 0 else { throw .invalidModulus("modulus is zero") }
        let bits = n.bitCount
        guard bits >= GMPRSAPublicKey.minimumModulusBitCount else { throw .keyTooSmall(bits: bits) }
        guard bits <= GMPRSAPublicKey.maximumModulusBitCount else { throw .keyTooLarge(bits: bits) }
        guard n.isOdd else { throw .invalidModulus("modulus is even") }
        guard e.compare(1) > 0 else { throw .invalidExponent("public exponent must be greater than 1") }
        guard e.isOdd else { throw .invalidExponent("public exponent is even") }
        guard e.compare(n) < 0 else { throw .invalidExponent("public exponent is not less than the modulus") }
        self.modulusBitCount = bits
        self.signatureByteCount = (bits + 7) / 8
        self.n = n
        self.e = e
    }

    /// Loads a key from its modulus and public exponent as unsigned big-endian integers.
    ///
    /// Leading zero bytes are allowed and ignored (so a DER-style `00`-prefixed modulus works).
    /// - Parameters:
    ///   - modulus: n, big-endian.
    ///   - exponent: e, big-endian (for example `[0x01, 0x00, 0x01]`).
    /// - Throws: ``GMPVerifierError`` with code `gmp.invalid-modulus` (zero or even), `gmp.key-too-small`
    ///   (< 2048 bits), `gmp.key-too-large` (> 16384 bits) or `gmp.invalid-exponent` (even, ≤ 1, or ≥ n).
    ///
    /// Allocation: two GMP integers (kept by the key).
    public convenience init(modulus: [UInt8], exponent: [UInt8]) throws(GMPVerifierError) {
        try self.init(modulus: GMPInteger(bigEndian: modulus[...]), exponent: GMPInteger(bigEndian: exponent[...]))
    }

    /// The modulus n, big-endian, without leading zero bytes.
    ///
    /// Allocation: the returned array.
    public var modulus: [UInt8] { n.bigEndianBytes }

    /// The public exponent e, big-endian, without leading zero bytes.
    ///
    /// Allocation: the returned array.
    public var publicExponent: [UInt8] { e.bigEndianBytes }
}
